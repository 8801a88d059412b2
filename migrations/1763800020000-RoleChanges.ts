import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on role changes that widen access: the change is recorded here as `pending` and applies
 * only when a second admin of the same country approves it (`approved`). Narrowing changes apply at
 * once and are recorded as `applied`. `user_version` is the account's version when the change was
 * asked for: an approval of an account changed since then is refused. The table itself refuses an
 * approval by the admin who asked, or by the account whose roles change.
 */
export class RoleChanges1763800020000 implements MigrationInterface {
  name = 'RoleChanges1763800020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_role_change (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        country_code char(2) NOT NULL REFERENCES country(code),
        from_roles text[] NOT NULL,
        to_roles text[] NOT NULL CHECK (
          cardinality(to_roles) > 0
          AND to_roles <@ ARRAY['officer','liaison','screener','auditor','admin']::text[]),
        user_version integer NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'applied')),
        requested_by uuid NOT NULL REFERENCES app_user(id),
        requested_at timestamptz(3) NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz(3),
        CHECK (requested_by <> user_id),
        CHECK ((status = 'pending') = (decided_by IS NULL)),
        CHECK (status <> 'approved' OR (decided_by <> requested_by AND decided_by <> user_id))
      )`);
    await q.query(
      `CREATE INDEX user_role_change_user_idx ON user_role_change (user_id, requested_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_role_change`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hit/no-hit checks (issue 20, item 4), as the Prüm exchange works: a country asks partners whether
 * they hold identifiers, each partner answers hit or no hit per identifier, nothing more. A check is
 * kept for the asking country only (its identifiers are its own data); each partner's answer records
 * which positions hit and under which framework it was given. A country's admin may switch automatic
 * answers off per framework (`identifier_check_setting`; no row: on).
 */
export class IdentifierChecks1763800071000 implements MigrationInterface {
  name = 'IdentifierChecks1763800071000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identifier_check (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asker_country char(2) NOT NULL REFERENCES country(code),
        asked_by uuid NOT NULL REFERENCES app_user(id),
        asked_at timestamptz(3) NOT NULL DEFAULT now(),
        identifiers jsonb NOT NULL CHECK (jsonb_typeof(identifiers) = 'array'),
        identifier_count integer NOT NULL CHECK (identifier_count BETWEEN 1 AND 1000)
      )`);
    await q.query(
      `CREATE INDEX identifier_check_asker ON identifier_check (asker_country, asked_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE identifier_check_answer (
        check_id uuid NOT NULL REFERENCES identifier_check(id),
        partner_country char(2) NOT NULL REFERENCES country(code),
        answered boolean NOT NULL,
        framework_id uuid REFERENCES framework(id),
        hit_positions integer[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (check_id, partner_country),
        CHECK (answered = (framework_id IS NOT NULL)),
        CHECK (answered OR cardinality(hit_positions) = 0)
      )`);
    await q.query(`
      CREATE TABLE identifier_check_setting (
        country_code char(2) NOT NULL REFERENCES country(code),
        framework_id uuid NOT NULL REFERENCES framework(id),
        auto_answer boolean NOT NULL,
        updated_by uuid NOT NULL REFERENCES app_user(id),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (country_code, framework_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identifier_check_setting`);
    await q.query(`DROP TABLE identifier_check_answer`);
    await q.query(`DROP TABLE identifier_check`);
  }
}

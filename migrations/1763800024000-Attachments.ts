import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence files hanging on a record (issue 19). The bytes live in the attachment storage, addressed by
 * their SHA-256; this table holds who gave which file to which record, and when. One parent column per
 * record type (real foreign keys rather than a free-form "record id") and exactly one of them is set.
 * A row is never changed: a new version names the one it `supersedes` (at most once), and withdrawal
 * only sets the withdrawal columns, once. A trigger refuses everything else and every DELETE, so the
 * chain of custody cannot be rewritten even by a bug in the service.
 */
export class Attachments1763800024000 implements MigrationInterface {
  name = 'Attachments1763800024000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parent_type text NOT NULL CHECK (parent_type IN
          ('case', 'person', 'request', 'arrest', 'asset_freeze_target', 'blacklist_entry')),
        case_id uuid REFERENCES case_file(id),
        person_id uuid REFERENCES person(id),
        request_id uuid REFERENCES cross_border_request(id),
        arrest_id uuid REFERENCES arrest(id),
        asset_freeze_target_id uuid REFERENCES asset_freeze_target(id),
        blacklist_entry_id uuid REFERENCES blacklist_entry(id),
        owner_country char(2) NOT NULL REFERENCES country(code),
        filename text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 255),
        media_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by uuid NOT NULL REFERENCES app_user(id),
        uploader_country char(2) NOT NULL REFERENCES country(code),
        uploaded_at timestamptz(3) NOT NULL DEFAULT now(),
        supersedes uuid UNIQUE REFERENCES attachment(id),
        withdrawn_at timestamptz(3),
        withdrawn_by uuid REFERENCES app_user(id),
        withdrawal_reason text,
        CHECK (num_nonnulls(case_id, person_id, request_id, arrest_id, asset_freeze_target_id, blacklist_entry_id) = 1),
        CHECK (CASE parent_type
          WHEN 'case' THEN case_id IS NOT NULL
          WHEN 'person' THEN person_id IS NOT NULL
          WHEN 'request' THEN request_id IS NOT NULL
          WHEN 'arrest' THEN arrest_id IS NOT NULL
          WHEN 'asset_freeze_target' THEN asset_freeze_target_id IS NOT NULL
          WHEN 'blacklist_entry' THEN blacklist_entry_id IS NOT NULL END),
        CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL) AND (withdrawn_at IS NULL) = (withdrawal_reason IS NULL))
      )`);
    for (const parent of ['case', 'person', 'request', 'arrest', 'asset_freeze_target', 'blacklist_entry'])
      await q.query(
        `CREATE INDEX attachment_${parent}_idx ON attachment (${parent}_id, uploaded_at DESC, id DESC) WHERE ${parent}_id IS NOT NULL`,
      );
    await q.query(`CREATE INDEX attachment_sha256_idx ON attachment (sha256)`);
    await q.query(`
      CREATE FUNCTION attachment_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'attachments are never deleted (withdraw instead)';
        END IF;
        IF OLD.withdrawn_at IS NOT NULL
           OR (to_jsonb(NEW) - 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_reason')
              IS DISTINCT FROM (to_jsonb(OLD) - 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_reason') THEN
          RAISE EXCEPTION 'an attachment is never changed: supersede it with a new version or withdraw it';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER attachment_immutable BEFORE UPDATE OR DELETE ON attachment
         FOR EACH ROW EXECUTE FUNCTION attachment_immutable()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment`);
    await q.query(`DROP FUNCTION attachment_immutable()`);
  }
}

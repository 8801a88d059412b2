import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new version of an attachment hangs on a record of the same type as the version it supersedes. The
 * upload service already allowed a version only on the same record (or on the same dispatch's copy of a
 * request); now the database holds it too, so a reader's statement that knows the type of the files it
 * reads may weigh their versions by that type's rules alone (`hangsOn`, `mayHangOn`). Stops if a row
 * written earlier breaks it, rather than leave the rule relying on rows that do not hold it.
 */
export class AttachmentVersionSameParentType1763801180000 implements MigrationInterface {
  name = 'AttachmentVersionSameParentType1763801180000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM attachment n JOIN attachment o ON o.id = n.supersedes
                    WHERE o.parent_type <> n.parent_type) THEN
          RAISE EXCEPTION 'an attachment supersedes one on another type of record';
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION attachment_version_same_parent_type() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.supersedes IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM attachment o WHERE o.id = NEW.supersedes AND o.parent_type = NEW.parent_type) THEN
          RAISE EXCEPTION 'a new version must hang on the same type of record as the one it supersedes';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER attachment_version_same_parent_type BEFORE INSERT ON attachment
         FOR EACH ROW EXECUTE FUNCTION attachment_version_same_parent_type()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER attachment_version_same_parent_type ON attachment`);
    await q.query(`DROP FUNCTION attachment_version_same_parent_type()`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A screening keeps up to 50 candidates, and the foreign key from each to `blacklist_entry` made
 * PostgreSQL lock the entry's row (`FOR KEY SHARE`): a WAL record and a dirtied page of a table of a
 * million rows per candidate, on the checkpoint's request path (bench/README.md, session 19). The key is
 * replaced by what it guarded, without the locks: entries are never deleted (refused here, row and
 * table), and a statement that writes a candidate naming no entry fails (one check per statement).
 */
export class CandidatesWithoutEntryLocks1763801040000 implements MigrationInterface {
  name = 'CandidatesWithoutEntryLocks1763801040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION blacklist_entry_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'blacklist entries are kept: end one by its status, never by deleting it'
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER blacklist_entry_never_deleted BEFORE DELETE ON blacklist_entry
                     FOR EACH ROW EXECUTE FUNCTION blacklist_entry_kept()`);
    await q.query(`CREATE TRIGGER blacklist_entry_never_truncated BEFORE TRUNCATE ON blacklist_entry
                     FOR EACH STATEMENT EXECUTE FUNCTION blacklist_entry_kept()`);
    await q.query(`
      CREATE FUNCTION screening_candidate_names_an_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE missing uuid;
      BEGIN
        SELECT c.entry_id INTO missing FROM written c
         WHERE NOT EXISTS (SELECT 1 FROM blacklist_entry e WHERE e.id = c.entry_id) LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'screening candidate names no blacklist entry: %', missing
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER screening_candidate_entry_exists AFTER INSERT ON screening_candidate
                     REFERENCING NEW TABLE AS written
                     FOR EACH STATEMENT EXECUTE FUNCTION screening_candidate_names_an_entry()`);
    await q.query(`CREATE TRIGGER screening_candidate_entry_still_exists AFTER UPDATE ON screening_candidate
                     REFERENCING NEW TABLE AS written
                     FOR EACH STATEMENT EXECUTE FUNCTION screening_candidate_names_an_entry()`);
    await q.query(`ALTER TABLE screening_candidate DROP CONSTRAINT screening_candidate_entry_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_candidate ADD CONSTRAINT screening_candidate_entry_id_fkey
                     FOREIGN KEY (entry_id) REFERENCES blacklist_entry(id)`);
    await q.query(`DROP TRIGGER screening_candidate_entry_still_exists ON screening_candidate`);
    await q.query(`DROP TRIGGER screening_candidate_entry_exists ON screening_candidate`);
    await q.query(`DROP FUNCTION screening_candidate_names_an_entry()`);
    await q.query(`DROP TRIGGER blacklist_entry_never_truncated ON blacklist_entry`);
    await q.query(`DROP TRIGGER blacklist_entry_never_deleted ON blacklist_entry`);
    await q.query(`DROP FUNCTION blacklist_entry_kept()`);
  }
}

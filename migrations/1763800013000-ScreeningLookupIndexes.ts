import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Three look-ups that scanned whole tables:
 * - "previously cleared" reads the earlier screenings of one traveller's document in one country, on
 *   every screening that gives a document number: without an index, every screening the country ever
 *   ran (millions a year at a busy airport). Screenings without a document stay out of the index.
 * - a change to a person re-indexes the person's active blacklist entries for screening: without an
 *   index, a scan of every entry (a million in a large list) on each person update;
 * - an entry's own search keys, read and changed on every activation, lift, re-index and key rebuild:
 *   without an index, a scan of all keys (27 M rows at a million entries) each time — a rebuild of a
 *   million entries had not finished after 17 minutes. Each entry id repeats ~27 times, and B-tree
 *   deduplication keeps the index small.
 */
export class ScreeningLookupIndexes1763800013000 implements MigrationInterface {
  name = 'ScreeningLookupIndexes1763800013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX screening_document ON screening (country_code, document_key) WHERE document_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX blacklist_entry_person ON blacklist_entry (person_id)`);
    await q.query(`CREATE INDEX blacklist_search_key_entry ON blacklist_search_key (entry_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX blacklist_search_key_entry`);
    await q.query(`DROP INDEX blacklist_entry_person`);
    await q.query(`DROP INDEX screening_document`);
  }
}

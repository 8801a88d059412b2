import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 21, the create's database work (bench/README.md "Session 19: the create's database work"): the
 * surrogate `bigserial` keys of `identifier_provenance` and `identifier_index` go. Each row of either
 * wrote an entry into its primary key (and its sequence a record every 32 rows) that nothing read by:
 * a draft create writes ~5 provenance and ~3 index rows, so 8 of its ~40 index entries.
 *
 * - `identifier_index`: its row is named by `identifier_index_row` (record type and id, holder, field,
 *   match key), unique already and every column NOT NULL: that index becomes the primary key, and the
 *   checks name a row by it (`IdentifierCheckStore.keysOfRows`) instead of by `id`.
 * - `identifier_provenance`: no reader looks a row up by itself; every reader asks by identifier and
 *   country (the `holder` and `releaser` indexes). `id` was read only as the order among the receipts
 *   of one identifier (`identifiersHeldForRedRecipientsOnlySql`, which originator a refusal names),
 *   now the order of `released_at` (the clock at insert, as the sequence was), then the originator.
 *
 * `down` gives both tables an `id` again, numbered in the rows' physical order.
 */
export class NoSurrogateIdentifierKeys1763800890000 implements MigrationInterface {
  name = 'NoSurrogateIdentifierKeys1763800890000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identifier_provenance DROP COLUMN id`);
    await q.query(`ALTER TABLE identifier_index DROP COLUMN id`);
    await q.query(
      `ALTER TABLE identifier_index ADD CONSTRAINT identifier_index_row PRIMARY KEY USING INDEX identifier_index_row`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identifier_index DROP CONSTRAINT identifier_index_row`);
    await q.query(`ALTER TABLE identifier_index ADD COLUMN id bigserial PRIMARY KEY`);
    await q.query(
      `CREATE UNIQUE INDEX identifier_index_row ON identifier_index (record_type, record_id, holder_country, field, match_key)`,
    );
    await q.query(`ALTER TABLE identifier_provenance ADD COLUMN id bigserial PRIMARY KEY`);
  }
}

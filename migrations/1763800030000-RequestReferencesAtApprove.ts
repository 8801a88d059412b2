import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request's reference is given when it leaves its country (`approve`, the step to `sent`), numbered
 * per origin, target, kind and year (`KR-KH-INF-2026-000042`). Numbering every draft per origin country
 * serialised all of a country's creates on one counter row, and the number told each partner how many
 * requests the origin had made in all (drafts and other partners' included); now a partner learns only
 * its own traffic, and the counter row is locked by an approve's short transaction only.
 *
 * Requests never sent lose their old number (they were never seen outside their country; drafts are
 * named by their draft id, derived from their id). Sent requests keep the reference they were sent
 * under. A sent request always has a reference (CHECK).
 */
export class RequestReferencesAtApprove1763800030000 implements MigrationInterface {
  name = 'RequestReferencesAtApprove1763800030000';

  async up(q: QueryRunner): Promise<void> {
    // Locked only by the approve that numbers a request, and rolled back with it: gap-free per pair.
    await q.query(`
      CREATE TABLE request_reference_counter (
        origin_country char(2) NOT NULL REFERENCES country(code),
        target_country char(2) NOT NULL REFERENCES country(code),
        kind text NOT NULL,
        year integer NOT NULL,
        last_value integer NOT NULL,
        PRIMARY KEY (origin_country, target_country, kind, year)
      )`);
    await q.query(`ALTER TABLE cross_border_request ALTER COLUMN reference DROP NOT NULL`);
    await q.query(`UPDATE cross_border_request SET reference = NULL WHERE sent_at IS NULL`);
    await q.query(
      `ALTER TABLE cross_border_request ADD CONSTRAINT cross_border_request_sent_has_reference
         CHECK (sent_at IS NULL OR reference IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE cross_border_request DROP CONSTRAINT cross_border_request_sent_has_reference`,
    );
    // Requests never sent get their draft id as reference, which the old schema requires.
    await q.query(
      `UPDATE cross_border_request SET reference = 'DRAFT-' || upper(left(id::text, 8)) || '-' || id::text
        WHERE reference IS NULL`,
    );
    await q.query(`ALTER TABLE cross_border_request ALTER COLUMN reference SET NOT NULL`);
    await q.query(`DROP TABLE request_reference_counter`);
  }
}

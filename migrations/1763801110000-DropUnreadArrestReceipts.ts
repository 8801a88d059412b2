import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Probe r14 findings 1–2 (commit 57117e8): a file filed on an arrest, or a number written into a custody
 * reason, recorded a receipt (`file_provenance`, `identifier_provenance`, `via_type = 'arrest'`) for the
 * other side of every repatriation request naming the arrest, whatever its state: the target of the
 * arresting country's unsent draft, or of a request withdrawn or rejected before it was sent. That
 * country never read the arrest, yet the receipt made the release rule refuse it its own copy of the
 * bytes (or of the number), 409, naming the arresting country as their originator. New code records no
 * such receipt; this deletes the ones recorded before.
 *
 * A receipt by arrest is stale when its receiving country could never read the arrest (`arrestScope`):
 * no `arrest_share` row for it (revoked or not: a share row is never deleted), and no repatriation
 * request naming the arrest (`repatriation_person`) with it as a side that it could read: one that was
 * ever sent (`sent_at`, whatever happened after), or one it drafted itself (the origin reads the arrest
 * from its drafting). Every receipt the country could have read is kept, those of a request sent and
 * later withdrawn too. The arrest's rows are weighed as a whole, not by the receipt's time: a receipt of
 * a file filed after a readable request was withdrawn stays (kept on the safe side).
 *
 * `down` restores nothing: the deleted receipts were recorded for nothing the country received.
 */
export class DropUnreadArrestReceipts1763801110000 implements MigrationInterface {
  name = 'DropUnreadArrestReceipts1763801110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM file_provenance p WHERE p.via_type = 'arrest' AND ${neverRead('p')}`);
    await q.query(`DELETE FROM identifier_provenance p WHERE p.via_type = 'arrest' AND ${neverRead('p')}`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the receipts deleted were stale, and what they were is gone with them.
  }
}

/** The receipt `p` (by arrest `p.via_id`) went to a country that could never read the arrest. */
const neverRead = (p: string) => `
  NOT EXISTS (SELECT 1 FROM arrest_share s WHERE s.arrest_id = ${p}.via_id AND s.country_code = ${p}.receiving_country)
  AND NOT EXISTS (
    SELECT 1 FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
     WHERE rp.arrest_id = ${p}.via_id
       AND ${p}.receiving_country IN (r.origin_country, r.target_country)
       AND (r.sent_at IS NOT NULL OR r.origin_country = ${p}.receiving_country))`;

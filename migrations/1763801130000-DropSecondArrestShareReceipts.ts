import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Probe race 2: an arrest shared with a country it was already shared with (at once, or one call after
 * the other) answered 200 and kept the first share's code in `arrest_share`, but the second call had
 * already recorded the release of the person (`person_provenance`) and of the numbers in the arrest
 * (`identifier_provenance`) under its own code. A country holding a share under `AMBER+STRICT` then also
 * held the person under, say, `CLEAR`, and the looser receipt let it pass the person on. New code
 * refuses a second share under another code before anything is released; this deletes those receipts.
 *
 * A receipt by arrest is the second share's when the arrest is shared with its country under another
 * code and no repatriation request naming the arrest, with that country as a side, carries its code (the
 * other way a receipt by arrest is recorded, under the request's code). Files' receipts carry no code
 * and are kept (the first share released the same files to the same country).
 *
 * `down` restores nothing: the deleted receipts were of a share that never was.
 */
export class DropSecondArrestShareReceipts1763801130000 implements MigrationInterface {
  name = 'DropSecondArrestShareReceipts1763801130000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['person_provenance', 'identifier_provenance'])
      await q.query(`DELETE FROM ${table} p WHERE p.via_type = 'arrest' AND ${ofASecondShare('p')}`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the receipts deleted were recorded for a share that was not made.
  }
}

const ofASecondShare = (p: string) => `
  EXISTS (SELECT 1 FROM arrest_share s
           WHERE s.arrest_id = ${p}.via_id AND s.country_code = ${p}.receiving_country
             AND s.handling_code <> ${p}.handling_code)
  AND NOT EXISTS (
    SELECT 1 FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
     WHERE rp.arrest_id = ${p}.via_id
       AND ${p}.receiving_country IN (r.origin_country, r.target_country)
       AND r.handling_code = ${p}.handling_code)`;

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a country's received files came from: one `file_provenance` row each time the release rule
 * lets bytes go to another country (`ReleaseService.releaseFiles`: a case or arrest share, a person
 * linked or shared, a file attached to a record another country reads, a request's files). Files
 * travel by their bytes, so a receipt is kept by content hash and outlives the link it came by: a
 * revoked case share, an ended framework or an unshared arrest leave the bytes with the receiver, and
 * the rule keeps weighing them as received (`ProvenanceStore.foreignFiles`).
 *
 * Existing links are written in here, so the rule holds for files received before: every share of a
 * case (revoked ones too) for the files on it before the share ended and not withdrawn before it
 * began; every person release for the files on the person; every arrest share; every request for the
 * files of either side (counted once the request is sent, as `reached` in the store reads it).
 */
export class FileProvenance1763800400000 implements MigrationInterface {
  name = 'FileProvenance1763800400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_provenance (
        id bigserial PRIMARY KEY,
        sha256 char(64) NOT NULL,
        receiving_country char(2) NOT NULL,
        originator_country char(2) NOT NULL,
        via_type text NOT NULL CHECK (via_type IN ('request', 'case', 'arrest')),
        via_id uuid NOT NULL,
        released_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        CHECK (receiving_country <> originator_country),
        UNIQUE (sha256, receiving_country, originator_country, via_type, via_id)
      )`);
    await q.query(`CREATE INDEX file_provenance_holder ON file_provenance (receiving_country, sha256)`);
    const insert = `INSERT INTO file_provenance (sha256, receiving_country, originator_country, via_type, via_id, released_at)`;
    const tail = `ON CONFLICT DO NOTHING`;
    await q.query(`${insert}
      SELECT a.sha256, s.country_code, a.uploader_country, 'case', a.case_id, greatest(s.shared_at, a.uploaded_at)
        FROM attachment a JOIN case_share s ON s.case_id = a.case_id
       WHERE s.country_code <> a.uploader_country
         AND (s.revoked_at IS NULL OR a.uploaded_at < s.revoked_at)
         AND (a.withdrawn_at IS NULL OR a.withdrawn_at > s.shared_at)
      ${tail}`);
    await q.query(`${insert}
      SELECT a.sha256, pv.receiving_country, a.uploader_country, pv.via_type, pv.via_id, greatest(pv.released_at, a.uploaded_at)
        FROM attachment a JOIN person_provenance pv ON pv.person_id = a.person_id
       WHERE pv.receiving_country <> a.uploader_country
         AND (a.withdrawn_at IS NULL OR a.withdrawn_at > pv.released_at)
      ${tail}`);
    await q.query(`${insert}
      SELECT a.sha256, s.country_code, a.uploader_country, 'arrest', a.arrest_id, greatest(s.shared_at, a.uploaded_at)
        FROM attachment a JOIN arrest_share s ON s.arrest_id = a.arrest_id
       WHERE s.country_code <> a.uploader_country
         AND (a.withdrawn_at IS NULL OR a.withdrawn_at > s.shared_at)
      ${tail}`);
    await q.query(`${insert}
      SELECT x.sha256, side.country, x.uploader_country, 'request', r.id, greatest(r.sent_at, x.uploaded_at)
        FROM (SELECT a.sha256, a.uploader_country, a.uploaded_at, a.withdrawn_at,
                     COALESCE(a.request_id,
                       (SELECT t.request_id FROM asset_freeze_target t WHERE t.id = a.asset_freeze_target_id),
                       (SELECT b.proposal_id FROM blacklist_entry b WHERE b.id = a.blacklist_entry_id)) AS request_id
                FROM attachment a) x
        JOIN cross_border_request r ON r.id = x.request_id AND r.sent_at IS NOT NULL
        CROSS JOIN LATERAL (VALUES (r.origin_country), (r.target_country)) AS side(country)
       WHERE side.country <> x.uploader_country
         AND (x.withdrawn_at IS NULL OR x.withdrawn_at > r.sent_at)
      ${tail}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS file_provenance`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a kept copy is an onward recipient's (`onward`): a country that reads the person only because
 * a partner of the owner passed it on, copied silently at the owner's first later edit
 * (`ReleaseService.keepForEndedCooperation`). Its `kept_since` is the time of that edit: the owner's
 * timeline, which the onward recipient must not read (`keptSince` is shown only to a country whose own
 * cooperation with the owner ended). Existing copies are onward where the owner never released the
 * person to that country itself (the links `ProvenanceStore.personRecipients` reads).
 */
export class KeptCopyOnward1763800650000 implements MigrationInterface {
  name = 'KeptCopyOnward1763800650000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person_kept_copy ADD COLUMN onward boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE person_kept_copy k SET onward = true
        FROM person p
       WHERE p.id = k.person_id
         AND NOT EXISTS (SELECT 1 FROM person_provenance pv
                          WHERE pv.person_id = k.person_id AND pv.released_by_country = p.owner_country
                            AND pv.receiving_country = k.country_code)
         AND NOT EXISTS (SELECT 1 FROM request_person rp JOIN cross_border_request r ON r.id = rp.request_id
                          WHERE rp.person_id = k.person_id
                            AND p.owner_country IN (r.origin_country, r.target_country)
                            AND k.country_code IN (r.origin_country, r.target_country))
         AND NOT EXISTS (SELECT 1 FROM case_person cp JOIN case_file c ON c.id = cp.case_id AND c.owner_country = p.owner_country
                           JOIN case_share cs ON cs.case_id = c.id AND cs.country_code = k.country_code
                          WHERE cp.person_id = k.person_id)
         AND NOT EXISTS (SELECT 1 FROM arrest a JOIN arrest_share s ON s.arrest_id = a.id AND s.country_code = k.country_code
                          WHERE a.person_id = k.person_id AND a.arresting_country = p.owner_country)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person_kept_copy DROP COLUMN onward`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A screening writes up to 50 candidates, and each random `gen_random_uuid()` id landed on its own leaf
 * page of `screening_candidate_pkey`: a page to read and dirty per candidate, and after every checkpoint a
 * full-page image of 8 KB in the WAL for each (bench/README.md, session 19). A candidate's id now begins
 * with its screening's: the first 10 bytes of the screening id (its version and variant bits included, so
 * still a random UUID), then 6 random bytes. A screening's candidates share a leaf page, and an id tells
 * nothing the screening's id does not — unlike ids in time order (UUID version 7), which would tell the
 * proposing country, who reads a confirmed hit's candidate id, when the match was first found.
 * Set by a trigger, so a re-screening's candidate, added to an old screening, joins it too.
 */
export class CandidateIdsBesideTheirScreening1763801041000 implements MigrationInterface {
  name = 'CandidateIdsBesideTheirScreening1763801041000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION screening_candidate_id_beside_its_screening() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.id := encode(overlay(uuid_send(NEW.screening_id)
                                 PLACING substring(uuid_send(gen_random_uuid()) FROM 11 FOR 6) FROM 11 FOR 6), 'hex')::uuid;
        RETURN NEW;
      END $$`);
    await q.query(`ALTER TABLE screening_candidate ALTER COLUMN id DROP DEFAULT`);
    await q.query(`CREATE TRIGGER screening_candidate_id BEFORE INSERT ON screening_candidate
                     FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION screening_candidate_id_beside_its_screening()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER screening_candidate_id ON screening_candidate`);
    await q.query(`ALTER TABLE screening_candidate ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION screening_candidate_id_beside_its_screening()`);
  }
}

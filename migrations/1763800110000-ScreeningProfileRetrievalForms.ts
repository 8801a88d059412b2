import { MigrationInterface, QueryRunner } from 'typeorm';
import { fillRetrievalForms } from '../src/blacklist/screening-profile';

/**
 * Each active entry's screening profile keeps its names' retrieval forms (issue 16, item 4), so that the
 * retrieval's pre-score by name runs in SQL (pg_trgm, created by the baseline) over the few hundred
 * entries the keys ranked first and only those picked for scoring are read out whole. The forms are
 * made by the app's code (`screeningProfileForms`) from the names already in the profile, a thousand
 * rows at a time: about a minute per 100,000 profiles, one transaction; VACUUM
 * blacklist_screening_profile afterwards (every row is rewritten).
 */
export class ScreeningProfileRetrievalForms1763800110000 implements MigrationInterface {
  name = 'ScreeningProfileRetrievalForms1763800110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE blacklist_screening_profile ADD COLUMN retrieval_forms text[]`);
    await fillRetrievalForms((sql, parameters) => q.query(sql, parameters));
    await q.query(`ALTER TABLE blacklist_screening_profile ALTER COLUMN retrieval_forms SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE blacklist_screening_profile DROP COLUMN retrieval_forms`);
  }
}

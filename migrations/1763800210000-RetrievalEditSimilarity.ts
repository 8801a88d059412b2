import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retrieval's pre-score compares the family and the given parts of the query's and the candidates'
 * retrieval forms by edit distance (`formSimilarity`, src/screening/matching/retrieval-similarity.ts):
 * fuzzystrmatch's `levenshtein` in the retrieval statement. A trusted extension shipped with PostgreSQL
 * (contrib), as pg_trgm is; the embedded PGlite loads it too.
 */
export class RetrievalEditSimilarity1763800210000 implements MigrationInterface {
  name = 'RetrievalEditSimilarity1763800210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP EXTENSION IF EXISTS fuzzystrmatch`);
  }
}

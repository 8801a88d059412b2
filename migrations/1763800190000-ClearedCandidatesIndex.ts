import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Cleared before for this document" (a screening shows which candidates a screener of the country
 * cleared for the same passport earlier) read every earlier screening of the document, so each
 * screening of a frequently screened passport cost more than the last. Clearances are few: read them
 * from this small index instead, then check their screening's document.
 */
export class ClearedCandidatesIndex1763800190000 implements MigrationInterface {
  name = 'ClearedCandidatesIndex1763800190000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX screening_candidate_cleared ON screening_candidate (entry_id) WHERE decision = 'cleared'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX screening_candidate_cleared`);
  }
}

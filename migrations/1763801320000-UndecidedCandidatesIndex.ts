import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /screenings?undecided=true` (the next shift's queue: screenings with a candidate nobody decided
 * yet) found those screenings by reading every kept candidate, decided or not: the candidates of 30
 * days of a checkpoint's screenings for a handful still open. Undecided candidates are few: read them
 * from this small index instead (`undecided=false` uses it too, one probe per screening).
 */
export class UndecidedCandidatesIndex1763801320000 implements MigrationInterface {
  name = 'UndecidedCandidatesIndex1763801320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX screening_candidate_undecided ON screening_candidate (screening_id) WHERE decision IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX screening_candidate_undecided`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A custody step the arresting country takes while no framework joins it to a partner is not given to
 * that partner ("when a framework ends, nothing more goes"); once cooperation resumes, the partner read
 * it at its own time (probe r5), learning when the arresting country acted during the gap.
 * - `arrest_custody_history.told`: the countries an active framework joined to the arresting country
 *   when the step was written (NULL for older steps: read as before).
 * - `framework_resumption`: when a framework may have brought countries back together (any change of
 *   its state or its members); a step not told to a reader reads, for it, as of the latest such time of
 *   a framework joining the two today.
 */
export class CustodyStepsTold1763800840000 implements MigrationInterface {
  name = 'CustodyStepsTold1763800840000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE arrest_custody_history ADD COLUMN told char(2)[]`);
    await q.query(`
      CREATE TABLE framework_resumption (
        framework_id uuid NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX framework_resumption_framework ON framework_resumption (framework_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE framework_resumption`);
    await q.query(`ALTER TABLE arrest_custody_history DROP COLUMN told`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A correlation the case's country cannot read on both sides when it is found (an arrested person whose
 * share was revoked, a kept copy without the number) is withheld, not dropped: it stays unannounced
 * (`announced_at` NULL) with `withheld_at` the last time it was checked, and the sweep job checks it
 * again, least recently checked first, so a country that later reads both sides (a share made again,
 * a framework renewed) hears of it then. Before this, such a row was marked announced and never told.
 *
 * Rows already lost that way — announced, with no `case.identifier_correlation` event naming them — are
 * withheld again, to be checked by the next sweep.
 */
export class WithheldCorrelations1763800660000 implements MigrationInterface {
  name = 'WithheldCorrelations1763800660000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identifier_correlation ADD COLUMN withheld_at timestamptz(3)`);
    await q.query(
      `CREATE INDEX identifier_correlation_withheld ON identifier_correlation (withheld_at, id)
        WHERE announced_at IS NULL AND withheld_at IS NOT NULL`,
    );
    await q.query(`
      UPDATE identifier_correlation ic SET withheld_at = ic.announced_at, announced_at = NULL
       WHERE ic.announced_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM audit_event e
                          WHERE e.record_type = 'case' AND e.record_id = ic.case_id::text
                            AND e.action = 'case.identifier_correlation'
                            AND e.details ->> 'recordId' = ic.record_id::text
                            AND e.details ->> 'matchKey' = ic.match_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE identifier_correlation SET announced_at = withheld_at WHERE announced_at IS NULL AND withheld_at IS NOT NULL`,
    );
    await q.query(`DROP INDEX identifier_correlation_withheld`);
    await q.query(`ALTER TABLE identifier_correlation DROP COLUMN withheld_at`);
  }
}

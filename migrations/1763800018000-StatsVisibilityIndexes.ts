import { MigrationInterface, QueryRunner } from 'typeorm';

const TARGET_DURATION_INDEXES = [
  ['accept', 'accepted_at'],
  ['fulfil', 'fulfilled_at'],
] as const;

/** As migration 1763800011000 wrote it, with the given included columns. */
const durationIndex = (measure: string, ended: string, include: string) =>
  `CREATE INDEX request_${measure}_time_target ON cross_border_request
     (target_country, kind, stats_duration_bucket(${ended} - sent_at), (${ended} - sent_at))
     INCLUDE (${include})
     WHERE ${ended} IS NOT NULL AND sent_at IS NOT NULL`;

/**
 * Issue 15: `/stats` follows the caller's visibility. The rollup tables do not hold the handling code,
 * so a caller who may not read inbound RED requests (anyone but a liaison, or the assigned officer)
 * gets the country's figures less those requests, read through this partial index: RED requests are
 * few, its predicate is the one `hiddenInboundRequests` (src/access/scopes.ts) writes, and it holds
 * every column the stats read of them (index-only scans). The target side's duration indexes also
 * include the handling code and the assignee, so a non-liaison's percentile reads stay index-only.
 */
export class StatsVisibilityIndexes1763800018000 implements MigrationInterface {
  name = 'StatsVisibilityIndexes1763800018000';

  async up(q: QueryRunner): Promise<void> {
    // The exact durations of the target's side are read index-only; a non-liaison's read also tests
    // the handling code and assignee, so those two columns join the included ones.
    for (const [measure, ended] of TARGET_DURATION_INDEXES) {
      await q.query(`DROP INDEX request_${measure}_time_target`);
      await q.query(
        durationIndex(measure, ended, `created_at, sent_at, ${ended}, handling_code, assigned_to`),
      );
    }
    await q.query(
      `CREATE INDEX request_red_inbound ON cross_border_request (target_country, created_at)
        INCLUDE (origin_country, kind, status, assigned_to, sent_at, accepted_at, fulfilled_at, due_at)
        WHERE handling_code = 'RED' AND sent_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS request_red_inbound`);
    for (const [measure, ended] of TARGET_DURATION_INDEXES) {
      await q.query(`DROP INDEX request_${measure}_time_target`);
      await q.query(durationIndex(measure, ended, `created_at, sent_at, ${ended}`));
    }
  }
}

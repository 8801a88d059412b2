import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  captureStatements as originalCaptureStatements,
  CHANGES,
  COLUMNS,
} from './1763800011000-RequestStatsRollup';

/**
 * The request figures of `/stats` counted an inbound request in the period of its creation: the day
 * (or, at the period's partial ends, the millisecond) the origin began drafting it. A target could ask
 * `/stats` for narrower and narrower periods and read when the origin drafted each request it received
 * — the drafting history that `SENT_VERSION` and the target's `createdAt` (its `sentAt`) keep from it.
 * A request now counts for its target from when it was sent: the rollup rows carry the side they count
 * for (`side`), the origin's by creation time as before, the target's by sending time, and the figures
 * read the requests themselves the same way (`RequestFiguresService`).
 */
export class StatsTargetSideBySending1763800200000 implements MigrationInterface {
  name = 'StatsTargetSideBySending1763800200000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['stats_request_count', 'stats_request_duration'])
      await q.query(
        `ALTER TABLE ${table} ADD COLUMN side text NOT NULL DEFAULT 'origin' CHECK (side IN ('origin', 'target'))`,
      );
    await this.recreateCellIndexes(q, ', side');
    await this.replaceCapture(q, captureStatements);
    // The target's requests by sending time: its request lists (newest first, `pageOfRequests`) and the
    // rows of the partial days at a period's ends.
    await q.query(
      `CREATE INDEX request_target_sent ON cross_border_request (target_country, kind, sent_at DESC, id DESC) WHERE sent_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX request_red_inbound_sent ON cross_border_request (target_country, sent_at)
        INCLUDE (origin_country, kind, status, assigned_to, created_at, accepted_at, fulfilled_at, due_at)
        WHERE handling_code = 'RED' AND sent_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX request_red_inbound_sent`);
    await q.query(`DROP INDEX request_target_sent`);
    await this.replaceCapture(q, originalCaptureStatements);
    await this.recreateCellIndexes(q, '');
    for (const table of ['stats_request_count', 'stats_request_duration'])
      await q.query(`ALTER TABLE ${table} DROP COLUMN side`);
  }

  private async recreateCellIndexes(q: QueryRunner, side: string): Promise<void> {
    await q.query(`DROP INDEX stats_request_count_cell`);
    await q.query(
      `CREATE INDEX stats_request_count_cell ON stats_request_count (grain, starts_on) INCLUDE (origin_country, target_country, kind, status, sent, n${side})`,
    );
    await q.query(`DROP INDEX stats_request_duration_cell`);
    await q.query(
      `CREATE INDEX stats_request_duration_cell ON stats_request_duration (grain, starts_on) INCLUDE (origin_country, target_country, kind, measure, bucket, n${side})`,
    );
  }

  /** The triggers' functions written with `capture`, and the rollup refilled from the requests by it. */
  private async replaceCapture(q: QueryRunner, capture: (changes: string) => string[]): Promise<void> {
    for (const op of ['INSERT', 'UPDATE', 'DELETE'] as const)
      await q.query(`
        CREATE OR REPLACE FUNCTION stats_capture_${op.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${capture(CHANGES[op]).join(';\n')};
          RETURN NULL;
        END $$`);
    await q.query(`DELETE FROM stats_request_count`);
    await q.query(`DELETE FROM stats_request_duration`);
    await q.query(`DELETE FROM stats_open_request`);
    for (const sql of capture(`SELECT ${COLUMNS}, 1 AS sign FROM cross_border_request`)) await q.query(sql);
  }
}

/**
 * Migration 1763800011000's deltas, each on both sides: the origin's rows in the cells of the request's
 * creation, the target's (once sent) in the cells of its sending.
 */
export function captureStatements(changes: string): string[] {
  const cells = (
    at: string,
  ) => `CROSS JOIN LATERAL (VALUES ('month', date_trunc('month', ${at} AT TIME ZONE 'UTC')::date),
                                            ('day', (${at} AT TIME ZONE 'UTC')::date)) AS cell(grain, starts_on)`;
  const sides = `CROSS JOIN LATERAL (VALUES ('origin', c.created_at), ('target', c.sent_at)) AS s(side, at)`;
  return [
    `INSERT INTO stats_request_count (grain, starts_on, side, origin_country, target_country, kind, status, sent, n)
     SELECT cell.grain, cell.starts_on, s.side, c.origin_country, c.target_country, c.kind, c.status, c.sent_at IS NOT NULL, sum(c.sign)
       FROM (${changes}) c ${sides} ${cells('s.at')}
      WHERE s.at IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(c.sign) <> 0`,
    `INSERT INTO stats_request_duration (grain, starts_on, side, origin_country, target_country, kind, measure, bucket, n)
     SELECT cell.grain, cell.starts_on, s.side, c.origin_country, c.target_country, c.kind, m.measure,
            stats_duration_bucket(m.ended_at - c.sent_at), sum(c.sign)
       FROM (${changes}) c
      CROSS JOIN LATERAL (VALUES ('accepted', c.accepted_at), ('fulfilled', c.fulfilled_at)) AS m(measure, ended_at)
      ${sides} ${cells('s.at')}
      WHERE c.sent_at IS NOT NULL AND m.ended_at IS NOT NULL AND s.at IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(c.sign) <> 0`,
    // Unchanged: the requests the target owes, by the day they fall due (a time both sides read).
    originalCaptureStatements(changes)[2]!,
  ];
}

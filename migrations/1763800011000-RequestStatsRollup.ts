import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `/stats` read every request of the caller's country for the period (a year by default): 3.4–3.8 s at
 * 1,000,000 requests (bench/README.md). This keeps the request figures pre-summed, exactly:
 *
 * - `stats_request_count`: requests per (month or day of creation, origin, target, kind, status, sent);
 * - `stats_request_duration`: requests per (month or day of creation, origin, target, kind, measure,
 *   duration bucket), the measure being `sent`→`accepted` or `sent`→`fulfilled`;
 * - `stats_open_request`: requests the target still owes (`sent`, `accepted`) per day they fall due.
 *
 * Every row is a signed delta (+1 when a request enters a group, -1 when it leaves) and a group's figure
 * is the sum of its rows. Writers only ever INSERT, so concurrent creates and transitions never wait on
 * each other here (an upserted counter row per country and day would serialise them, the way the
 * reference counter does). A job merges each group's rows into one (`StatsRollupCompaction`).
 *
 * The deltas are written by statement triggers on `cross_border_request`, in the writer's transaction:
 * one place that no create path, workflow step, bulk import or hand-written fix can forget. They are
 * derived data, not business changes, so they carry no audit event of their own.
 *
 * Percentiles stay exact: the buckets only say which few rows hold the wanted rank, and the four
 * partial indexes below let the service read those rows' exact durations in order.
 */
export const COLUMNS = `origin_country, target_country, kind, status, sent_at, accepted_at, fulfilled_at, due_at, created_at`;

/** The deltas caused by the rows of `changes` (columns COLUMNS plus `sign`: +1 entering, -1 leaving). */
export function captureStatements(changes: string): string[] {
  const cells = `CROSS JOIN LATERAL (VALUES ('month', date_trunc('month', c.created_at AT TIME ZONE 'UTC')::date),
                                            ('day', (c.created_at AT TIME ZONE 'UTC')::date)) AS cell(grain, starts_on)`;
  return [
    `INSERT INTO stats_request_count (grain, starts_on, origin_country, target_country, kind, status, sent, n)
     SELECT cell.grain, cell.starts_on, c.origin_country, c.target_country, c.kind, c.status, c.sent_at IS NOT NULL, sum(c.sign)
       FROM (${changes}) c ${cells}
      GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(c.sign) <> 0`,
    `INSERT INTO stats_request_duration (grain, starts_on, origin_country, target_country, kind, measure, bucket, n)
     SELECT cell.grain, cell.starts_on, c.origin_country, c.target_country, c.kind, m.measure,
            stats_duration_bucket(m.ended_at - c.sent_at), sum(c.sign)
       FROM (${changes}) c
      CROSS JOIN LATERAL (VALUES ('accepted', c.accepted_at), ('fulfilled', c.fulfilled_at)) AS m(measure, ended_at)
      ${cells}
      WHERE c.sent_at IS NOT NULL AND m.ended_at IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(c.sign) <> 0`,
    `INSERT INTO stats_open_request (due_on, origin_country, target_country, n)
     SELECT (c.due_at AT TIME ZONE 'UTC')::date, c.origin_country, c.target_country, sum(c.sign)
       FROM (${changes}) c
      WHERE c.status IN ('sent', 'accepted') AND c.due_at IS NOT NULL
      GROUP BY 1, 2, 3 HAVING sum(c.sign) <> 0`,
  ];
}

export const CHANGES = {
  INSERT: `SELECT ${COLUMNS}, 1 AS sign FROM new_rows`,
  DELETE: `SELECT ${COLUMNS}, -1 AS sign FROM old_rows`,
  // Most updates (version, assignee, notices sent) change no group: their -1 and +1 cancel out.
  UPDATE: `SELECT ${COLUMNS}, -1 AS sign FROM old_rows UNION ALL SELECT ${COLUMNS}, 1 AS sign FROM new_rows`,
} as const;

const TRANSITION_TABLES = {
  INSERT: 'NEW TABLE AS new_rows',
  DELETE: 'OLD TABLE AS old_rows',
  UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
} as const;

export class RequestStatsRollup1763800011000 implements MigrationInterface {
  name = 'RequestStatsRollup1763800011000';

  async up(q: QueryRunner): Promise<void> {
    // 8 buckets per doubling above one minute (each about 9 % wide): a year's durations fit in ~150.
    await q.query(`
      CREATE FUNCTION stats_duration_bucket(d interval) RETURNS smallint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT floor(8 * ln(1 + greatest(extract(epoch FROM d)::float8, 0) / 60) / ln(2))::smallint $$`);
    await q.query(`
      CREATE TABLE stats_request_count (
        grain text NOT NULL CHECK (grain IN ('month', 'day')),
        starts_on date NOT NULL,
        origin_country char(2) NOT NULL,
        target_country char(2) NOT NULL,
        kind text NOT NULL,
        status text NOT NULL,
        sent boolean NOT NULL,
        n integer NOT NULL
      )`);
    // Covering: a period's rows are summed from the index alone.
    await q.query(
      `CREATE INDEX stats_request_count_cell ON stats_request_count (grain, starts_on) INCLUDE (origin_country, target_country, kind, status, sent, n)`,
    );
    await q.query(`
      CREATE TABLE stats_request_duration (
        grain text NOT NULL CHECK (grain IN ('month', 'day')),
        starts_on date NOT NULL,
        origin_country char(2) NOT NULL,
        target_country char(2) NOT NULL,
        kind text NOT NULL,
        measure text NOT NULL CHECK (measure IN ('accepted', 'fulfilled')),
        bucket smallint NOT NULL,
        n integer NOT NULL
      )`);
    await q.query(
      `CREATE INDEX stats_request_duration_cell ON stats_request_duration (grain, starts_on) INCLUDE (origin_country, target_country, kind, measure, bucket, n)`,
    );
    await q.query(`
      CREATE TABLE stats_open_request (
        due_on date NOT NULL,
        origin_country char(2) NOT NULL,
        target_country char(2) NOT NULL,
        n integer NOT NULL
      )`);
    await q.query(`CREATE INDEX stats_open_request_due ON stats_open_request (due_on)`);

    // Where the exact durations of one bucket are read in order, for each side and measure; the
    // included columns let that read come from the index alone (no visit to the table's rows).
    for (const [side, column] of [
      ['origin', 'origin_country'],
      ['target', 'target_country'],
    ])
      for (const [measure, ended] of [
        ['accept', 'accepted_at'],
        ['fulfil', 'fulfilled_at'],
      ])
        await q.query(
          `CREATE INDEX request_${measure}_time_${side} ON cross_border_request
             (${column}, kind, stats_duration_bucket(${ended} - sent_at), (${ended} - sent_at))
             INCLUDE (created_at, sent_at, ${ended})
             WHERE ${ended} IS NOT NULL AND sent_at IS NOT NULL`,
        );

    for (const op of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      const fn = `stats_capture_${op.toLowerCase()}`;
      await q.query(`
        CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${captureStatements(CHANGES[op]).join(';\n')};
          RETURN NULL;
        END $$`);
      await q.query(`
        CREATE TRIGGER cross_border_request_${fn} AFTER ${op} ON cross_border_request
          REFERENCING ${TRANSITION_TABLES[op]} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }
    // The requests that exist already, with the same statements the triggers run.
    for (const sql of captureStatements(`SELECT ${COLUMNS}, 1 AS sign FROM cross_border_request`))
      await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER cross_border_request_stats_capture_${op} ON cross_border_request`);
      await q.query(`DROP FUNCTION stats_capture_${op}()`);
    }
    for (const side of ['origin', 'target'])
      for (const measure of ['accept', 'fulfil']) await q.query(`DROP INDEX request_${measure}_time_${side}`);
    await q.query(`DROP TABLE stats_open_request`);
    await q.query(`DROP TABLE stats_request_duration`);
    await q.query(`DROP TABLE stats_request_count`);
    await q.query(`DROP FUNCTION stats_duration_bucket(interval)`);
  }
}

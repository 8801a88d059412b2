/**
 * `npm run bench:scale` (never part of `npm test`): does the inbound list, and do the stats, stay fast as
 * `cross_border_request` grows? Against the built server on a throwaway real-PostgreSQL database:
 *
 *   npm run build && npm run bench:scale
 *   BENCH_LARGE_ROWS=200000 BENCH_SECONDS=10 BENCH_RUNS=2 npm run bench:scale
 *
 * 1. bulk-inserts requests with SQL (`INSERT … SELECT generate_series`) up to BENCH_SMALL_ROWS (10,000),
 *    VACUUM ANALYZE, then measures `GET /information-requests?direction=inbound` as kh.liaison with wrk
 *    (p95), `GET /stats` as kh.liaison (sequential calls, median and p95) with the stats rollup as the
 *    triggers left it and again after the compaction job's SQL, then as kh.officer (who may not read
 *    inbound RED requests: the rollup less those), checks the stats' counts against the rows, and
 *    prints EXPLAIN ANALYZE of the list query;
 * 2. grows the table to BENCH_LARGE_ROWS (1,000,000) and measures the same.
 * The rows are realistic for the demo's KR/KH task force: 70 % KR→KH and 30 % KH→KR under the
 * Cambodia–Korea framework, 70 % information requests (the rest asset freezes, repatriations and
 * blacklist lists), every status of the life cycle with consistent timestamps, created over the last
 * year, TLP codes including some RED. They have no status history or audit events (not read by these
 * two endpoints). The database is dropped at the end (BENCH_KEEP=1 keeps it).
 */
import { Client } from 'pg';
import { COMPACT_ROLLUP_SQL } from '../src/stats/stats-rollup-compaction.service';
import {
  auditSigningKey,
  createBenchDatabase,
  loadAverage,
  measure,
  median,
  percentile,
  signIn,
  startServer,
  Summary,
  tempDir,
} from './support/harness';

const SMALL = Number(process.env.BENCH_SMALL_ROWS ?? 10_000);
const LARGE = Number(process.env.BENCH_LARGE_ROWS ?? 1_000_000);
const CHUNK = 100_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const STATS_CALLS = Number(process.env.BENCH_STATS_CALLS ?? 15);

/** Rows g in [from, to): see the header for the mix. Deterministic per g (except the random times). */
const INSERT = `
WITH ids AS (
  SELECT (SELECT id FROM framework WHERE name = 'Cambodia–Korea Joint Task Force') AS framework,
         (SELECT id FROM app_user WHERE username = 'kr.officer') AS kr_officer,
         (SELECT id FROM app_user WHERE username = 'kr.liaison') AS kr_liaison,
         (SELECT id FROM app_user WHERE username = 'kh.officer') AS kh_officer,
         (SELECT id FROM app_user WHERE username = 'kh.liaison') AS kh_liaison
), base AS (
  SELECT g,
         g % 10 < 7 AS kr_to_kh,
         CASE WHEN g % 20 < 14 THEN 'information' WHEN g % 20 < 17 THEN 'asset_freeze'
              WHEN g % 20 < 19 THEN 'repatriation' ELSE 'blacklist' END AS kind,
         CASE WHEN (g / 7) % 10 < 6 THEN 'routine' WHEN (g / 7) % 10 < 9 THEN 'urgent' ELSE 'immediate' END AS priority,
         CASE WHEN (g / 3) % 20 = 0 THEN 'RED' WHEN (g / 3) % 20 < 4 THEN 'GREEN' WHEN (g / 3) % 20 < 6 THEN 'AMBER+STRICT'
              WHEN (g / 3) % 20 < 7 THEN 'CLEAR' ELSE 'AMBER' END AS handling_code,
         CASE WHEN (g / 11) % 100 < 5 THEN 'draft' WHEN (g / 11) % 100 < 8 THEN 'submitted'
              WHEN (g / 11) % 100 < 10 THEN 'withdrawn' WHEN (g / 11) % 100 < 28 THEN 'sent'
              WHEN (g / 11) % 100 < 31 THEN 'rejected' WHEN (g / 11) % 100 < 55 THEN 'accepted'
              WHEN (g / 11) % 100 < 80 THEN 'fulfilled' ELSE 'closed' END AS status,
         now() - random() * interval '365 days' AS created_at,
         random() * interval '48 hours' AS to_send,
         random() * interval '72 hours' AS to_accept,
         random() * interval '20 days' AS to_fulfil
    FROM generate_series($1::int, $2::int - 1) AS g
), timed AS (
  SELECT b.*,
         CASE WHEN b.status IN ('draft', 'submitted', 'withdrawn') THEN NULL ELSE b.created_at + b.to_send END AS sent_at
    FROM base b
)
INSERT INTO cross_border_request (
  kind, reference, origin_country, target_country, framework_id, priority, handling_code, status, subject,
  payload, outcome, created_by, submitted_by, approved_by, assigned_to, sent_at, due_at, accepted_at,
  fulfilled_at, closed_at, created_at, updated_at, version)
SELECT t.kind,
       (CASE WHEN t.kr_to_kh THEN 'KR' ELSE 'KH' END) || '-BULK-' || lpad(t.g::text, 8, '0'),
       CASE WHEN t.kr_to_kh THEN 'KR' ELSE 'KH' END,
       CASE WHEN t.kr_to_kh THEN 'KH' ELSE 'KR' END,
       ids.framework, t.priority, t.handling_code, t.status,
       'Who holds +855' || (10000000 + t.g) || ' and the accounts of the Golden Fortune compound?',
       jsonb_build_object(
         'questions', jsonb_build_array('Subscriber of +855' || (10000000 + t.g) || '?', 'Who controls ABA account ' || (100000000 + t.g) || '?'),
         'identifiers', jsonb_build_object('phones', jsonb_build_array('+855' || (10000000 + t.g)),
                                           'compounds', jsonb_build_array('Golden Fortune'))),
       CASE WHEN t.status IN ('fulfilled', 'closed')
            THEN jsonb_build_object('summary', 'Subscriber identified', 'identifiers', '{}'::jsonb, 'personIds', '[]'::jsonb)
            WHEN t.status = 'rejected' THEN jsonb_build_object('rejectionReason', 'Outside the framework')
       END,
       CASE WHEN t.kr_to_kh THEN ids.kr_officer ELSE ids.kh_officer END,
       CASE WHEN t.status <> 'draft' THEN CASE WHEN t.kr_to_kh THEN ids.kr_officer ELSE ids.kh_officer END END,
       CASE WHEN t.sent_at IS NOT NULL THEN CASE WHEN t.kr_to_kh THEN ids.kr_liaison ELSE ids.kh_liaison END END,
       CASE WHEN t.status IN ('accepted', 'fulfilled', 'closed') AND t.g % 2 = 0
            THEN CASE WHEN t.kr_to_kh THEN ids.kh_officer ELSE ids.kr_officer END END,
       t.sent_at,
       t.sent_at + CASE t.priority WHEN 'immediate' THEN interval '24 hours' WHEN 'urgent' THEN interval '72 hours'
                                   ELSE interval '30 days' END,
       CASE WHEN t.status IN ('accepted', 'fulfilled', 'closed') THEN t.sent_at + t.to_accept END,
       CASE WHEN t.status IN ('fulfilled', 'closed') THEN t.sent_at + t.to_accept + t.to_fulfil END,
       CASE WHEN t.status = 'closed' THEN t.sent_at + t.to_accept + t.to_fulfil + interval '2 days' END,
       t.created_at,
       t.created_at + t.to_send,
       CASE t.status WHEN 'draft' THEN 1 WHEN 'submitted' THEN 2 WHEN 'withdrawn' THEN 2 WHEN 'sent' THEN 3
                     WHEN 'rejected' THEN 4 WHEN 'accepted' THEN 4 WHEN 'fulfilled' THEN 5 ELSE 6 END
  FROM timed t CROSS JOIN ids`;

/** The SQL TypeORM issues for `GET /information-requests?direction=inbound` as kh.liaison (first page). */
const LIST_SQL = `
SELECT r.* FROM cross_border_request r
 WHERE r.kind = 'information'
   AND (r.origin_country = 'KH' OR (r.target_country = 'KH' AND r.sent_at IS NOT NULL
        AND (r.handling_code <> 'RED' OR true OR r.assigned_to = $1)))
   AND r.target_country = 'KH' AND r.sent_at IS NOT NULL
 ORDER BY r.sent_at DESC, r.id DESC LIMIT 51`;

async function growTo(client: Client, rows: number): Promise<void> {
  const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM cross_border_request`)).rows;
  const started = Date.now();
  // Every bulk row names the same compound, and the correlation trigger looks at every earlier holder of
  // an identifier a request brings in: the load would grow with the square of the rows (198 s for the
  // first 10,000). Correlations are read by neither endpoint measured here; the identifier index is still
  // written, as by any create.
  await client.query(`ALTER TABLE identifier_index DISABLE TRIGGER identifier_index_correlate`);
  try {
    for (let from = n; from < rows; from += CHUNK) {
      const to = Math.min(rows, from + CHUNK);
      await client.query(INSERT, [from, to]);
      process.stdout.write(`  inserted up to ${to} rows (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  } finally {
    await client.query(`ALTER TABLE identifier_index ENABLE TRIGGER identifier_index_correlate`);
  }
  const v = Date.now();
  await client.query(`VACUUM ANALYZE cross_border_request`);
  console.log(
    `  table at ${rows} rows: insert ${((v - started) / 1000).toFixed(0)} s (the stats triggers included), VACUUM ANALYZE ${((Date.now() - v) / 1000).toFixed(0)} s`,
  );
}

/** Row counts of the stats rollup tables (the triggers fill them on every insert). */
async function rollupRows(client: Client): Promise<string> {
  const [r] = (
    await client.query(
      `SELECT (SELECT count(*) FROM stats_request_count)::int AS counts, (SELECT count(*) FROM stats_request_duration)::int AS durations,
              (SELECT count(*) FROM stats_open_request)::int AS open`,
    )
  ).rows;
  return `${r.counts} count + ${r.durations} duration + ${r.open} open rows`;
}

/** What the once-a-minute compaction job does (the bench server runs without jobs). */
async function compactRollup(client: Client): Promise<void> {
  const before = await rollupRows(client);
  const started = Date.now();
  for (const sql of COMPACT_ROLLUP_SQL) await client.query(sql);
  await client.query(`VACUUM ANALYZE stats_request_count, stats_request_duration, stats_open_request`);
  console.log(
    `  rollup compacted in ${((Date.now() - started) / 1000).toFixed(1)} s (VACUUM included): ${before} -> ${await rollupRows(client)}`,
  );
}

async function explain(client: Client, label: string, sql: string, params: unknown[]): Promise<string> {
  const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params)).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n    ');
  return `  EXPLAIN ANALYZE ${label}:\n    ${plan}`;
}

interface SizeResult {
  rows: number;
  inbound: number;
  list: Summary;
  /** Both directions (no `direction`): each side listed by its own time, the origin's drafting, the target's sending. */
  bothDirections: Summary;
  statsMedian: number;
  statsP95: number;
  /** Before the rollup's first compaction. */
  statsLoadedMedian: number;
  /** As kh.officer, who may not read inbound RED requests (issue 15): rollup less those. */
  officerStatsMedian: number;
  officerStatsP95: number;
  plans: string[];
}

/** `GET /stats` as kh.liaison: RUNS runs of STATS_CALLS sequential calls, each after one warm-up call. */
async function timeStats(base: string, token: string, label: string): Promise<number[]> {
  const all: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const times: number[] = [];
    for (let i = 0; i < STATS_CALLS + 1; i++) {
      const t = process.hrtime.bigint();
      const res = await fetch(`${base}/stats`, { headers: { authorization: `Bearer ${token}` } });
      await res.text();
      if (res.status !== 200) throw new Error(`stats: ${res.status}`);
      if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6); // the first call warms up
    }
    console.log(
      `  ${label}: GET /stats run ${run + 1}: median ${median(times).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (${STATS_CALLS} sequential calls)`,
    );
    all.push(...times);
  }
  return all;
}

/**
 * The per-status counts `/stats` answers equal a plain count over the rows of the same period: all of
 * KH's for a liaison; for an officer (`officerId`), less the inbound RED requests not assigned to them.
 * KH's own requests count by their creation, those it received by their sending (when they reached it).
 */
async function checkExact(client: Client, base: string, token: string, officerId?: string): Promise<void> {
  const res = await fetch(`${base}/stats`, { headers: { authorization: `Bearer ${token}` } });
  const stats = (await res.json()) as { from: string; to: string; requests: Array<{ count: number }> };
  const answered = stats.requests.reduce((n, r) => n + r.count, 0);
  const [{ n }] = (
    await client.query(
      `SELECT count(*)::int AS n FROM cross_border_request
        WHERE (origin_country = 'KH' AND created_at >= $1 AND created_at < $2)
           OR (target_country = 'KH' AND sent_at >= $1 AND sent_at < $2
               AND ($3::uuid IS NULL OR handling_code <> 'RED' OR assigned_to = $3::uuid))`,
      [stats.from, stats.to, officerId ?? null],
    )
  ).rows;
  if (answered !== n) throw new Error(`stats counted ${answered} requests, the rows hold ${n}`);
  console.log(
    `  /stats counts ${answered} requests for KH${officerId ? ' as kh.officer (no inbound RED but their own)' : ''}, as a count over the rows does`,
  );
}

async function measureAt(
  client: Client,
  base: string,
  token: string,
  liaisonId: string,
  officer: { token: string; id: string },
  rows: number,
): Promise<SizeResult> {
  const [{ inbound }] = (
    await client.query(
      `SELECT count(*)::int AS inbound FROM cross_border_request WHERE target_country = 'KH' AND kind = 'information' AND sent_at IS NOT NULL`,
    )
  ).rows;
  const list = await measure(
    `${rows} rows GET ?direction=inbound`,
    {
      url: `${base}/information-requests?direction=inbound`,
      token,
      connections: CONNECTIONS,
      seconds: SECONDS,
    },
    RUNS,
  );
  const bothDirections = await measure(
    `${rows} rows GET (both directions)`,
    { url: `${base}/information-requests`, token, connections: CONNECTIONS, seconds: SECONDS },
    RUNS,
  );
  // As bulk-loaded: one set of delta rows per 100,000-row INSERT, as before the job's first pass.
  const loaded = await timeStats(base, token, `${rows} rows, rollup as loaded`);
  await compactRollup(client);
  const stats = await timeStats(base, token, `${rows} rows, rollup compacted`);
  await checkExact(client, base, token);
  const officerStats = await timeStats(base, officer.token, `${rows} rows, rollup compacted, kh.officer`);
  await checkExact(client, base, officer.token, officer.id);
  const plans = [await explain(client, `list (${rows} rows)`, LIST_SQL, [liaisonId])];
  for (const p of plans) console.log(p);
  return {
    rows,
    inbound,
    list,
    bothDirections,
    statsMedian: median(stats),
    statsP95: percentile(stats, 95),
    statsLoadedMedian: median(loaded),
    officerStatsMedian: median(officerStats),
    officerStatsP95: percentile(officerStats, 95),
    plans,
  };
}

async function main() {
  const started = Date.now();
  console.log(
    `node ${process.version}, list: wrk -t2 -c${CONNECTIONS} -d${SECONDS}s x ${RUNS} runs after a 3 s warm-up; ` +
      `stats: ${STATS_CALLS} sequential calls x ${RUNS} runs; load average at start ${await loadAverage()}`,
  );
  const db = await createBenchDatabase();
  const data = tempDir();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const results: SizeResult[] = [];
  try {
    const server = await startServer({
      databaseUrl: db.url,
      dataDir: data.path,
      signingKey: auditSigningKey(),
    });
    try {
      const liaison = await signIn(server.base, 'kh.liaison');
      const [{ id: liaisonId }] = (
        await client.query(`SELECT id FROM app_user WHERE username = 'kh.liaison'`)
      ).rows;
      const officer = await signIn(server.base, 'kh.officer');
      const [{ id: officerId }] = (
        await client.query(`SELECT id FROM app_user WHERE username = 'kh.officer'`)
      ).rows;
      for (const rows of [SMALL, LARGE]) {
        await growTo(client, rows);
        results.push(
          await measureAt(
            client,
            server.base,
            liaison.token,
            liaisonId,
            { token: officer.token, id: officerId },
            rows,
          ),
        );
      }
      console.log(`  server peak RSS (VmHWM) ${server.peakRssMb().toFixed(0)} MB`);
    } catch (error) {
      console.error(server.output().slice(-5000));
      throw error;
    } finally {
      await server.stop();
    }
  } finally {
    await client.end();
    await db.drop();
    data.remove();
  }
  console.log(
    `\nRESULTS (load average at end ${await loadAverage()}, ${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  for (const r of results)
    console.log(
      `  ${String(r.rows).padStart(8)} rows (${r.inbound} inbound information requests visible to KH): ` +
        `list p95 ${r.list.p95.toFixed(1)} ms, p50 ${r.list.p50.toFixed(1)} ms, ${r.list.rps.toFixed(0)} req/s` +
        `${r.list.errors ? ` (${r.list.errors} ERRORS)` : ''}; both directions p95 ${r.bothDirections.p95.toFixed(1)} ms, ` +
        `${r.bothDirections.rps.toFixed(0)} req/s${r.bothDirections.errors ? ` (${r.bothDirections.errors} ERRORS)` : ''}; stats median ${r.statsMedian.toFixed(0)} ms, p95 ${r.statsP95.toFixed(0)} ms ` +
        `(before compaction: median ${r.statsLoadedMedian.toFixed(0)} ms); ` +
        `stats as kh.officer median ${r.officerStatsMedian.toFixed(0)} ms, p95 ${r.officerStatsP95.toFixed(0)} ms`,
    );
  const [small, large] = results;
  if (small && large)
    console.log(
      `  list p95 ratio ${large.rows}/${small.rows} rows: ${(large.list.p95 / small.list.p95).toFixed(2)} (target <= 1.5), ` +
        `both directions ${(large.bothDirections.p95 / small.bothDirections.p95).toFixed(2)}; ` +
        `stats median at ${large.rows} rows ${large.statsMedian.toFixed(0)} ms (target < 200 ms)`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

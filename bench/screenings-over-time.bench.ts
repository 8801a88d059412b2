/**
 * `npm run bench:screenings-over-time` (never part of `npm test`): does `POST /screenings` slow down as
 * screenings accumulate? The `npm run bench` screening row alone, repeated: the built server on a
 * throwaway real-PostgreSQL database, 200 active entries, then BENCH_OVER_TIME_RUNS (4) consecutive wrk
 * runs of BENCH_SECONDS (10) with the bench's screening body (one candidate per screening), after one
 * 3 s warm-up. Per run: req/s, p50, p95, the load average, the rows kept so far, and (the server
 * preloads bench/support/time-queries.js) the mean time of each statement the server sent in that run.
 *
 * BENCH_PREFILL_SCREENINGS=n first writes n earlier screenings of the same traveller's document
 * (copies of the first one, with their candidate, an hour apart going back; written by SQL, so without
 * audit events): the history the server would otherwise take many runs to build up on a loaded machine.
 * BENCH_MAIN runs another build (see harness.ts).
 *
 *   npm run build && npm run bench:screenings-over-time
 *   BENCH_SECONDS=10 BENCH_OVER_TIME_RUNS=6 BENCH_PREFILL_SCREENINGS=20000 npm run bench:screenings-over-time
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { aScreening, activeBlacklist, frameworkId } from './support/fixtures';
import {
  auditSigningKey,
  cpuMs,
  createBenchDatabase,
  fmt,
  loadAverage,
  signIn,
  startServer,
  tempDir,
  withActivitySampler,
  wrk,
} from './support/harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_OVER_TIME_RUNS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ENTRIES = Number(process.env.BENCH_BLACKLIST_ENTRIES ?? 200);
const PREFILL = Number(process.env.BENCH_PREFILL_SCREENINGS ?? 0);

type Times = Record<string, number[]>;

function readTimes(file: string): Times {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Times;
  } catch {
    return {};
  }
}

/** Statements sent between two readings: count and mean ms, the most time first. */
function statementsBetween(before: Times, after: Times): string[] {
  return Object.entries(after)
    .map(([key, list]) => {
      const fresh = list.slice(before[key]?.length ?? 0);
      const total = fresh.reduce((a, b) => a + b, 0);
      return { key, n: fresh.length, total };
    })
    .filter((s) => s.n > 0)
    .sort((a, b) => b.total - a.total)
    .slice(0, 8)
    .map((s) => `${String(s.n).padStart(6)} x ${(s.total / s.n).toFixed(2).padStart(7)} ms  ${s.key}`);
}

/** Shared buffers read or hit so far, by relation (tables and indexes of the app's schema). */
async function relationIo(c: Client): Promise<Map<string, number>> {
  const { rows } = await c.query(
    `SELECT relname AS rel, (coalesce(heap_blks_hit, 0) + coalesce(heap_blks_read, 0))::float8 AS n FROM pg_statio_user_tables
     UNION ALL
     SELECT indexrelname, (idx_blks_hit + idx_blks_read)::float8 FROM pg_statio_user_indexes`,
  );
  return new Map(rows.map((r) => [r.rel as string, Number(r.n)]));
}

/** CPU time so far of this database's backends (all of them, the sealer's included), from /proc. */
async function backendsCpuMs(c: Client): Promise<number> {
  const { rows } = await c.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  let total = 0;
  for (const r of rows) {
    try {
      total += cpuMs(r.pid);
    } catch {
      /* ended */
    }
  }
  return total;
}

async function main() {
  console.log(
    `node ${process.version}, wrk -t2 -c${CONNECTIONS} -d${SECONDS}s x ${RUNS} runs, load average at start ${await loadAverage()}`,
  );
  const db = await createBenchDatabase();
  const data = tempDir();
  const timesFile = join(data.path, 'query-times.json');
  try {
    const server = await startServer({
      databaseUrl: db.url,
      dataDir: data.path,
      signingKey: auditSigningKey(),
      nodeArgs: ['-r', join(__dirname, 'support/time-queries.js')],
      env: { BENCH_QUERY_TIMES_FILE: timesFile },
    });
    const stats = new Client({ connectionString: db.url });
    await stats.connect();
    try {
      const krOfficer = await signIn(server.base, 'kr.officer');
      const krLiaison = await signIn(server.base, 'kr.liaison');
      const khLiaison = await signIn(server.base, 'kh.liaison');
      const khScreener = await signIn(server.base, 'kh.screener');
      const framework = await frameworkId(krOfficer);
      const active = await activeBlacklist({ krOfficer, krLiaison, khLiaison }, framework, ENTRIES);
      const probe = await khScreener.call('POST', '/screenings', aScreening);
      console.log(
        `  ${active} active entries; the body finds ${probe.body.candidates?.length} candidate(s) (status ${probe.status})`,
      );
      if (PREFILL > 0) {
        await stats.query(
          `WITH src AS (SELECT s.*, c.entry_id, c.score, c.matched_query_name, c.matched_entry_name, c.reasons,
                               c.entry_identity_at
                          FROM screening s JOIN screening_candidate c ON c.screening_id = s.id WHERE s.id = $1),
                copy AS (INSERT INTO screening (id, country_code, screener_id, checkpoint, query, document_key, query_keys, created_at)
                         SELECT gen_random_uuid(), country_code, screener_id, checkpoint, query, document_key, query_keys,
                                created_at - make_interval(hours => g)
                           FROM src, generate_series(1, $2::int) g
                         RETURNING id)
           INSERT INTO screening_candidate (screening_id, entry_id, score, matched_query_name, matched_entry_name, reasons,
                                            entry_identity_at)
           SELECT copy.id, src.entry_id, src.score, src.matched_query_name, src.matched_entry_name, src.reasons,
                  src.entry_identity_at FROM copy, src`,
          [probe.body.id, PREFILL],
        );
        console.log(`  ${PREFILL} earlier screenings of the document written`);
      }
      const options = {
        url: `${server.base}/screenings`,
        method: 'POST' as const,
        token: khScreener.token,
        body: aScreening,
        connections: CONNECTIONS,
      };
      await wrk({ ...options, seconds: 3 });
      const lines: string[] = [];
      for (let i = 1; i <= RUNS; i++) {
        await new Promise((r) => setTimeout(r, 600));
        const before = readTimes(timesFile);
        const io0 = await relationIo(stats);
        const cpu0 = { server: cpuMs(server.pid), backends: await backendsCpuMs(stats) };
        const { result, activity } = await withActivitySampler(db.url, () =>
          wrk({ ...options, seconds: SECONDS }),
        );
        const cpu1 = { server: cpuMs(server.pid), backends: await backendsCpuMs(stats) };
        const io1 = await relationIo(stats);
        await new Promise((r) => setTimeout(r, 600));
        const after = readTimes(timesFile);
        const { rows } = await stats.query(
          `SELECT (SELECT count(*) FROM screening)::int AS screenings,
                  (SELECT count(*) FROM screening_candidate)::int AS candidates,
                  (SELECT count(*) FROM audit_event)::int AS events,
                  (SELECT count(*) FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id))::int AS unsealed`,
        );
        const per = (x: number) => (x / Math.max(1, result.requests)).toFixed(2);
        const line =
          `run ${i}: ${fmt(result)}; load ${await loadAverage()}; CPU/request: server ${per(cpu1.server - cpu0.server)} ms, ` +
          `backends ${per(cpu1.backends - cpu0.backends)} ms; kept ${JSON.stringify(rows[0])}`;
        lines.push(line);
        console.log(`  ${line}\n    DB backends: ${activity}`);
        const io = [...io1.entries()]
          .map(([rel, n]) => ({ rel, n: (n - (io0.get(rel) ?? 0)) / Math.max(1, result.requests) }))
          .filter((x) => x.n >= 0.05)
          .sort((a, b) => b.n - a.n)
          .slice(0, 12);
        console.log(`    buffers/request: ${io.map((x) => `${x.rel} ${x.n.toFixed(2)}`).join(', ')}`);
        for (const s of statementsBetween(before, after)) console.log(`    ${s}`);
      }
      console.log(`\nRESULTS (load average at end ${await loadAverage()})`);
      for (const line of lines) console.log(`  ${line}`);
    } catch (error) {
      console.error(server.output().slice(-5000));
      throw error;
    } finally {
      await stats.end();
      await server.stop();
    }
  } finally {
    await db.drop();
    data.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

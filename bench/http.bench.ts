/**
 * `npm run bench` (never part of `npm test`): HTTP throughput and latency of the built server against
 * a throwaway real-PostgreSQL database, measured with wrk from outside the process.
 *
 *   npm run build && npm run bench
 *   BENCH_SECONDS=15 BENCH_RUNS=2 BENCH_CONNECTIONS=32 BENCH_ADMIN_URL=postgres://… npm run bench
 *
 * 1. floor: bench/floor-server.js, a bare Fastify + pg server inserting each POST body into a table;
 * 2. GET /api/v1/auth/me as kr.officer: the app's own ceiling (sign-in check, guards, one read, the
 *    view): what every route pays before its domain work (issue 21: is 25 % of the floor reachable?);
 *    then POST /api/v1/information-requests as kr.officer (a draft, the body of test/support/scenario.ts);
 * 3. GET /api/v1/information-requests?direction=inbound as kh.liaison, after 300 KR→KH requests sent;
 * 4. POST /api/v1/screenings as kh.screener against 200 active blacklist entries.
 * Each: a 3 s warm-up, then BENCH_RUNS runs of BENCH_SECONDS, medians reported. Then the server's peak
 * RSS (VmHWM). The server runs with NODE_ENV=production, JOBS_ENABLED=false, LOG_LEVEL=warn and the
 * audit sealer every 200 ms. The database `case_desk_bench_<random>` is dropped at the end.
 */
import { readFileSync } from 'node:fs';
import { aDraft, aScreening, activeBlacklist, frameworkId, sendRequests } from './support/fixtures';
import {
  auditSigningKey,
  cpuSplitMs,
  createBenchDatabase,
  fmtSummary,
  loadAverage,
  measure,
  signIn,
  startFloorServer,
  startServer,
  tempDir,
  withActivitySampler,
  WrkOptions,
} from './support/harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SENT = Number(process.env.BENCH_SENT_REQUESTS ?? 300);
const ENTRIES = Number(process.env.BENCH_BLACKLIST_ENTRIES ?? 200);

/**
 * `measure`, plus where the time went: the server's CPU per request (from /proc) and the average number
 * of the app's database backends running or waiting (on a lock, on the WAL flush at commit, …).
 */
async function profiled(label: string, pid: number, dbUrl: string, options: WrkOptions) {
  const cpu0 = cpuSplitMs(pid);
  const { result, activity } = await withActivitySampler(dbUrl, () => measure(label, options, RUNS));
  const requests = result.runs.reduce((n, r) => n + r.requests, 0);
  const seconds = RUNS * (options.seconds ?? 15) + 3;
  // The 3 s warm-up is inside the CPU window; count its requests approximately at the measured rate.
  const all = requests + result.rps * 3;
  const cpu1 = cpuSplitMs(pid);
  const [user, system] = [cpu1.user - cpu0.user, cpu1.system - cpu0.system];
  const perRequest = (ms: number) => (ms / all).toFixed(2);
  const note = `server CPU ${perRequest(user + system)} ms/request (user ${perRequest(user)}, system ${perRequest(system)}; ${(((user + system) / 1000 / seconds) * 100).toFixed(0)} % of one core); DB backends: ${activity}`;
  const rss = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (key: string) => (Number(new RegExp(`${key}:\\s+(\\d+)`).exec(rss)?.[1]) / 1024).toFixed(0);
  const memory = `; RSS now ${mb('VmRSS')} MB, peak so far ${mb('VmHWM')} MB`;
  console.log(`  ${label}: ${note}${memory}`);
  return { ...result, note: note + memory };
}

async function main() {
  const started = Date.now();
  console.log(
    `node ${process.version}, wrk -t2 -c${CONNECTIONS} -d${SECONDS}s x ${RUNS} runs (after a 3 s warm-up), ` +
      `load average at start ${await loadAverage()}`,
  );
  const db = await createBenchDatabase();
  const data = tempDir();
  const results: string[] = [];
  try {
    // 1. The floor.
    const floor = await startFloorServer(db.url);
    let floorRps: number;
    try {
      const s = await profiled('floor POST /items', floor.pid, db.url, {
        url: `${floor.base}/items`,
        method: 'POST',
        body: aDraft('00000000-0000-4000-8000-000000000000'),
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      floorRps = s.rps;
      results.push(
        `floor (Fastify + pg, one INSERT)          ${fmtSummary(s)}; peak RSS ${floor.peakRssMb().toFixed(0)} MB`,
        `  ${s.note}`,
      );
    } finally {
      await floor.stop();
    }

    // 2–4. The product.
    const server = await startServer({
      databaseUrl: db.url,
      dataDir: data.path,
      signingKey: auditSigningKey(),
    });
    try {
      results.push(`server RSS after start-up ${server.peakRssMb().toFixed(0)} MB (peak so far)`);
      const krOfficer = await signIn(server.base, 'kr.officer');
      const krLiaison = await signIn(server.base, 'kr.liaison');
      const khLiaison = await signIn(server.base, 'kh.liaison');
      const khScreener = await signIn(server.base, 'kh.screener');
      const framework = await frameworkId(krOfficer);

      const me = await profiled('GET /auth/me', server.pid, db.url, {
        url: `${server.base}/auth/me`,
        token: krOfficer.token,
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      results.push(
        `GET /auth/me (kr.officer; the app's ceiling)  ${fmtSummary(me)}; ` +
          `${((me.rps / floorRps) * 100).toFixed(0)} % of the floor`,
        `  ${me.note}`,
      );

      const create = await profiled('POST /information-requests', server.pid, db.url, {
        url: `${server.base}/information-requests`,
        method: 'POST',
        token: krOfficer.token,
        body: aDraft(framework),
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      results.push(
        `POST /information-requests (kr.officer)  ${fmtSummary(create)}; ` +
          `${((create.rps / floorRps) * 100).toFixed(0)} % of the floor (target >= 40 %)`,
        `  ${create.note}`,
      );

      const t0 = Date.now();
      await sendRequests(krOfficer, krLiaison, framework, SENT);
      console.log(`  (${SENT} KR→KH requests created, submitted and approved in ${Date.now() - t0} ms)`);
      const inbound = await profiled('GET ?direction=inbound', server.pid, db.url, {
        url: `${server.base}/information-requests?direction=inbound`,
        token: khLiaison.token,
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      results.push(
        `GET ?direction=inbound (kh.liaison, ${SENT} sent, 50/page)  ${fmtSummary(inbound)}`,
        `  ${inbound.note}`,
      );

      const t1 = Date.now();
      const active = await activeBlacklist({ krOfficer, krLiaison, khLiaison }, framework, ENTRIES);
      console.log(
        `  (${active} blacklist entries proposed, accepted and activated in ${Date.now() - t1} ms)`,
      );
      const screening = await profiled('POST /screenings', server.pid, db.url, {
        url: `${server.base}/screenings`,
        method: 'POST',
        token: khScreener.token,
        body: aScreening,
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      results.push(
        `POST /screenings (kh.screener, ${active} active entries)  ${fmtSummary(screening)}`,
        `  ${screening.note}`,
      );
      results.push(`server peak RSS (VmHWM) ${server.peakRssMb().toFixed(0)} MB (target < 300 MB)`);
    } catch (error) {
      console.error(server.output().slice(-5000));
      throw error;
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
    data.remove();
  }
  console.log(
    `\nRESULTS (load average at end ${await loadAverage()}, ${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  for (const line of results) console.log(`  ${line}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

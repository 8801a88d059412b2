/**
 * `npm run crash:check` (after `npm test` in CI; never part of `npm test` itself): does an acknowledged
 * write survive `kill -9` of the server and a crash of PostgreSQL, and does a crash leave anything half
 * done?
 *
 *   npm run build && npm run crash:check
 *   CRASH_RESTART_POSTGRES=1 npm run crash:check      # CI: also crash-restarts the machine's PostgreSQL once
 *   CRASH_ROUNDS=3 CRASH_WORKERS=8 BENCH_ADMIN_URL=postgres://… npm run crash:check
 *
 * On a throwaway database `case_desk_bench_<random>` (migrated, seeded, dropped at the end), the built
 * server runs as a child process. Each round: CRASH_WORKERS clients drive information requests through
 * create → submit → approve (kr.officer, kr.liaison) → accept (kh.liaison), recording every answer that
 * acknowledged a write (2xx with the id, status and version); after a random 2–5 s, while writes are in
 * flight, the server gets SIGKILL. With CRASH_RESTART_POSTGRES=1 the second round first stops the
 * machine's PostgreSQL cluster with `pg_ctlcluster … stop -m immediate` (no checkpoint: it recovers from
 * its WAL) and starts it again while the writes run; the same server process lives on and must take
 * writes and seal audit events again before it is killed. Off by default, because it ends every
 * connection of everyone sharing the cluster. After each kill the server is restarted on the same
 * database (same signing key) and checked:
 *  1. every acknowledged request exists, with the acknowledged status or the one step a client had in
 *     flight when its answer was lost (never an earlier one), and at least the acknowledged version;
 *  2. no request is half done: its status history has one row per step (a step is a version, and the
 *     send jumps to SENT_VERSION: one `approve` row for that jump), the last row's status is the
 *     request's status, and each step has its audit event (creation or transition);
 *  3. once the restarted sealer has chained every committed event, `POST /audit-events/verify` as
 *     kr.auditor answers `ok: true`;
 *  4. the restarted server takes a new write;
 *  5. outside the PostgreSQL restart, no write was answered with an error;
 *  6. CRASH_KEYED creates with an `Idempotency-Key`, held just before their COMMIT (support/crash-keyed)
 *     when the kill lands, are retried with the same key and body after the restart: each completes
 *     and each key made exactly one request (`keyed creates: N/N completed after restart`).
 * Prints `CRASH CHECK: PASS` or `CRASH CHECK: FAIL` (exit code 1) with the reasons. Bounded: at most
 * CRASH_ROUNDS rounds, each at most 200 requests per worker and well under a minute, all on 127.0.0.1.
 * CRASH_SELFTEST=1 corrupts one request behind the app's back after the first crash, to show the check
 * does report a half-done request (it must then print FAIL).
 */
import { checkDatabase, sealedEvents, waitSealed, withClient } from './support/crash-checks';
import { holdKeyedCommits, keyedBurst, retryKeyed } from './support/crash-keyed';
import { Ack, noProgress, Progress, signInAll, worker } from './support/crash-workload';
import { aDraft, frameworkId } from './support/fixtures';
import {
  auditSigningKey,
  createBenchDatabase,
  randomPort,
  RunningServer,
  sleep,
  startServer,
  tempDir,
} from './support/harness';
import { crashRestart, machineCluster, requireLocal } from './support/postgres-cluster';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const WORKERS = Number(process.env.CRASH_WORKERS ?? 8);
const RESTART_POSTGRES = process.env.CRASH_RESTART_POSTGRES === '1';
/** Keyed creates in flight at each kill. */
const KEYED = Number(process.env.CRASH_KEYED ?? 3);
/** The round in which PostgreSQL is crash-restarted (0: none). */
const POSTGRES_ROUND = RESTART_POSTGRES ? Math.min(2, ROUNDS) : 0;

const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/**
 * While the workers write: PostgreSQL stops hard and starts again; the app, not restarted, must answer
 * writes again and its audit sealer must chain again. Returns the problems found.
 */
async function restartPostgresUnderLoad(dbUrl: string, progress: Progress, round: number): Promise<string[]> {
  const cluster = machineCluster();
  await sleep(between(1500, 2500));
  const writesBefore = progress.writes;
  const downMs = await crashRestart(cluster, dbUrl);
  const writesAtReturn = progress.writes;
  const sealedAtReturn = await withClient(dbUrl, sealedEvents);
  await sleep(between(3000, 5000));
  const writesAfter = progress.writes - writesAtReturn;
  const sealedAfter = (await withClient(dbUrl, sealedEvents)) - sealedAtReturn;
  console.log(
    `round ${round}: PostgreSQL ${cluster.version}/${cluster.name} stopped (-m immediate) after ` +
      `${writesBefore} writes and answering again ${downMs} ms later; ${progress.errorAnswers} error answers ` +
      `meanwhile (by status: ${JSON.stringify(progress.errorStatuses)}; last: ${progress.lastErrorAnswer}); the same app then acknowledged ${writesAfter} writes ` +
      `and sealed ${sealedAfter} audit events`,
  );
  const problems: string[] = [];
  const refusals = Object.entries(progress.errorStatuses).filter(([status]) => Number(status) < 500);
  // A 4xx would tell the client its request or token was wrong, when the database was away.
  if (refusals.length)
    problems.push(`answers that blame the client during the outage: ${JSON.stringify(refusals)}`);
  if (writesAfter === 0) problems.push('the app took no write after PostgreSQL came back');
  if (sealedAfter === 0) problems.push('the app sealed no audit event after PostgreSQL came back');
  return problems;
}

async function main() {
  const startedAt = Date.now();
  const db = await createBenchDatabase();
  if (RESTART_POSTGRES) requireLocal(db.url);
  const data = tempDir();
  const signingKey = auditSigningKey();
  const port = randomPort();
  const problems: string[] = [];
  const acks = new Map<string, Ack>();
  const keyedTotals = { sent: 0, completed: 0, lost: 0 };
  let server: RunningServer | null = null;
  try {
    server = await startServer({ databaseUrl: db.url, dataDir: data.path, signingKey, port });
    let cast = await signInAll(server.base);
    const framework = await frameworkId(cast.krOfficer);
    for (let round = 1; round <= ROUNDS; round++) {
      const roundProblems: string[] = [];
      const progress = noProgress();
      const started = Date.now();
      // The kill ends the writers; the deadline only bounds them if something goes wrong.
      const writers = Array.from({ length: WORKERS }, (_, n) =>
        worker(cast, framework, acks, started + 60_000, round * 1000 + n, progress),
      );
      if (round === POSTGRES_ROUND) {
        roundProblems.push(...(await restartPostgresUnderLoad(db.url, progress, round)));
        await sleep(between(0, 1000));
      } else {
        await sleep(between(2000, 5000));
        if (progress.errorAnswers)
          roundProblems.push(`${progress.errorAnswers} error answers, last: ${progress.lastErrorAnswer}`);
      }
      const killedAfter = Date.now() - started;
      const gate = await holdKeyedCommits(db.url);
      const keyed = keyedBurst(cast.krOfficer, framework, round, KEYED);
      const keyedDeadline = Date.now() + 10_000;
      let held = 0;
      while ((held = await gate.waiting()) < KEYED && Date.now() < keyedDeadline) await sleep(20);
      if (held < KEYED)
        roundProblems.push(`only ${held} of ${KEYED} keyed creates were held inside their transaction`);
      await server.kill9();
      await gate.release();
      await Promise.all(writers);
      const keyedCreates = await keyed;
      console.log(
        `round ${round}: ${held} keyed creates were inside their transaction when the server was killed`,
      );
      const inFlight = [...acks.values()].filter((a) => a.inFlight).length;
      console.log(
        `round ${round}: SIGKILL after ${killedAfter} ms; ${progress.writes} writes acknowledged this round ` +
          `(${acks.size} requests so far, ${inFlight} with a step whose answer was lost)`,
      );
      server = await startServer({ databaseUrl: db.url, dataDir: data.path, signingKey, port });
      cast = await signInAll(server.base);
      if (process.env.CRASH_SELFTEST === '1' && round === 1) {
        // Negative control: a request moved on without its history row must be reported.
        await withClient(db.url, (c) =>
          c.query(
            `UPDATE cross_border_request SET status = 'sent' WHERE id = (SELECT id FROM cross_border_request WHERE status = 'draft' LIMIT 1)`,
          ),
        );
        console.log('round 1: CRASH_SELFTEST=1 moved one draft to sent behind the app’s back; expect FAIL');
      }
      const keyedResult = await withClient(db.url, (c) => retryKeyed(cast.krOfficer, keyedCreates, c));
      keyedTotals.sent += keyedCreates.length;
      keyedTotals.completed += keyedResult.completed;
      keyedTotals.lost += keyedResult.lost;
      roundProblems.push(...keyedResult.problems);
      for (const id of keyedResult.ids) acks.set(id, { status: 'draft', version: 1, inFlight: null });
      console.log(
        `round ${round}: keyed creates: ${keyedResult.completed}/${keyedCreates.length} completed after restart ` +
          `(${keyedResult.lost} had lost their answer in the kill)`,
      );
      roundProblems.push(...(await withClient(db.url, (c) => checkDatabase(c, acks))));
      const unsealed = await withClient(db.url, waitSealed);
      if (unsealed) roundProblems.push(`${unsealed} audit events still unsealed 60 s after the restart`);
      const verify = await cast.krAuditor.call('POST', '/audit-events/verify', {});
      if (verify.status !== 200 || verify.body?.ok !== true)
        roundProblems.push(`audit verify: ${verify.status} ${JSON.stringify(verify.body)}`);
      const after = await cast.krOfficer.call('POST', '/information-requests', aDraft(framework));
      if (after.status !== 201) roundProblems.push(`no new write after the restart: ${after.status}`);
      else acks.set(after.body.id, { status: 'draft', version: 1, inFlight: null });
      console.log(
        `round ${round}: after restart ${roundProblems.length ? `${roundProblems.length} problems` : 'all checks hold'}; ` +
          `audit verify ${JSON.stringify(verify.body)}`,
      );
      problems.push(...roundProblems.map((p) => `round ${round}: ${p}`));
      // Steps whose answer was lost are settled now: what the database holds is what was acknowledged.
      const settled = await withClient(
        db.url,
        async (c) =>
          (
            await c.query(`SELECT id, status, version FROM cross_border_request WHERE id = ANY($1::uuid[])`, [
              [...acks.keys()],
            ])
          ).rows as Array<{ id: string; status: string; version: number }>,
      );
      for (const r of settled) acks.set(r.id, { status: r.status, version: r.version, inFlight: null });
    }
  } catch (error) {
    problems.push(`the check itself failed: ${error instanceof Error ? error.stack : String(error)}`);
    if (server) console.error(server.output().slice(-3000));
  } finally {
    await server?.stop();
    await db.drop();
    data.remove();
  }
  for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
  console.log(
    `keyed creates: ${keyedTotals.completed}/${keyedTotals.sent} completed after restart ` +
      `(${keyedTotals.lost} cut off by a kill)`,
  );
  const what =
    `${ROUNDS} kill -9 rounds${POSTGRES_ROUND ? `, PostgreSQL crash-restarted in round ${POSTGRES_ROUND}` : ''}, ` +
    `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
  console.log(
    problems.length
      ? `CRASH CHECK: FAIL (${problems.length} problems; ${what}; ${acks.size} requests)`
      : `CRASH CHECK: PASS (${what}; ${acks.size} acknowledged requests all present and whole, audit chain verifies)`,
  );
  process.exit(problems.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log('CRASH CHECK: FAIL (the check could not run)');
  process.exit(1);
});

/**
 * `npm run crash:check` (never part of `npm test`): does an acknowledged write survive `kill -9` of the
 * server, and does a crash leave anything half done?
 *
 *   npm run build && npm run crash:check
 *   CRASH_ROUNDS=3 CRASH_WORKERS=8 BENCH_ADMIN_URL=postgres://… npm run crash:check
 *
 * On a throwaway database `case_desk_bench_<random>` (migrated, seeded, dropped at the end), the built
 * server runs as a child process. Each round: CRASH_WORKERS clients drive information requests through
 * create → submit → approve (kr.officer, kr.liaison) → accept (kh.liaison), recording every answer that
 * acknowledged a write (2xx with the id, status and version); after a random 2–5 s, while writes are in
 * flight, the server gets SIGKILL; it is restarted on the same database (same signing key) and checked:
 *  1. every acknowledged request exists, with the acknowledged status or the one step a client had in
 *     flight when the server died (never an earlier one), and at least the acknowledged version;
 *  2. no request is half done: its status history has one row per version, the last row's status is
 *     the request's status, and each version has its audit event (creation or transition);
 *  3. once the restarted sealer has chained every committed event, `POST /audit-events/verify` as
 *     kr.auditor answers `ok: true`;
 *  4. the restarted server takes a new write.
 * Prints `CRASH CHECK: PASS` or `CRASH CHECK: FAIL` (exit code 1) with the reasons. Bounded: at most
 * CRASH_ROUNDS rounds, each at most 5 s of writes and 200 requests per worker, all on 127.0.0.1.
 * PostgreSQL itself is not restarted (out of scope: that needs control of the server's service).
 * CRASH_SELFTEST=1 corrupts one request behind the app's back after the first crash, to show the check
 * does report a half-done request (it must then print FAIL).
 */
import { Client } from 'pg';
import { aDraft, frameworkId } from './support/fixtures';
import {
  Api,
  auditSigningKey,
  createBenchDatabase,
  randomPort,
  RunningServer,
  signIn,
  sleep,
  startServer,
  tempDir,
} from './support/harness';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const WORKERS = Number(process.env.CRASH_WORKERS ?? 8);
const MAX_PER_WORKER = 200;

const STEPS = [
  { action: 'submit', who: 'krOfficer', to: 'submitted' },
  { action: 'approve', who: 'krLiaison', to: 'sent' },
  { action: 'accept', who: 'khLiaison', to: 'accepted' },
] as const;
const ORDER = ['draft', 'submitted', 'sent', 'accepted'];

interface Ack {
  status: string;
  version: number;
  /** The status the request would have if the step in flight at the crash committed. */
  inFlight: string | null;
}

type Cast = Record<'krOfficer' | 'krLiaison' | 'khLiaison' | 'krAuditor', Api>;

async function signInAll(base: string): Promise<Cast> {
  return {
    krOfficer: await signIn(base, 'kr.officer'),
    krLiaison: await signIn(base, 'kr.liaison'),
    khLiaison: await signIn(base, 'kh.liaison'),
    krAuditor: await signIn(base, 'kr.auditor'),
  };
}

/** One worker: requests through the life cycle until the server stops answering. */
async function worker(
  cast: Cast,
  framework: string,
  acks: Map<string, Ack>,
  deadline: number,
  n: number,
): Promise<number> {
  let written = 0;
  for (let i = 0; i < MAX_PER_WORKER && Date.now() < deadline; i++) {
    let id: string | null = null;
    try {
      const created = await cast.krOfficer.call(
        'POST',
        '/information-requests',
        aDraft(framework, { subject: `Crash check ${n}.${i}` }),
      );
      if (created.status !== 201) throw new Error(`create answered ${created.status}`);
      id = created.body.id as string;
      acks.set(id, { status: created.body.status, version: created.body.version, inFlight: null });
      written++;
      // Each request goes 0–3 steps further, so the crash finds requests in every state.
      const steps = (n + i) % 4;
      for (const step of STEPS.slice(0, steps)) {
        const ack = acks.get(id)!;
        ack.inFlight = step.to;
        const res = await cast[step.who].call('POST', `/information-requests/${id}/${step.action}`, {
          version: ack.version,
        });
        if (res.status !== 200) throw new Error(`${step.action} answered ${res.status}`);
        acks.set(id, { status: res.body.status, version: res.body.version, inFlight: null });
        written++;
      }
    } catch {
      // The server died (connection refused or reset): what was in flight may or may not have committed.
      return written;
    }
  }
  return written;
}

async function checkDatabase(client: Client, acks: Map<string, Ack>): Promise<string[]> {
  const problems: string[] = [];
  const ids = [...acks.keys()];
  const rows = (
    await client.query(`SELECT id, status, version FROM cross_border_request WHERE id = ANY($1::uuid[])`, [
      ids,
    ])
  ).rows as Array<{ id: string; status: string; version: number }>;
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const [id, ack] of acks) {
    const row = found.get(id);
    if (!row) {
      problems.push(`acknowledged request ${id} (${ack.status}) is missing`);
      continue;
    }
    const allowed = [ack.status, ...(ack.inFlight ? [ack.inFlight] : [])];
    if (!allowed.includes(row.status))
      problems.push(
        `request ${id}: status ${row.status}, acknowledged ${ack.status} (in flight: ${ack.inFlight})`,
      );
    if (row.version < ack.version)
      problems.push(`request ${id}: version ${row.version} < acknowledged ${ack.version}`);
    if (ORDER.indexOf(row.status) < ORDER.indexOf(ack.status))
      problems.push(`request ${id}: went back from ${ack.status} to ${row.status}`);
  }
  // Every request in the database, acknowledged or not: no half-done transaction.
  const half = (
    await client.query(`
      SELECT r.id, r.status, r.version, h.n AS history_rows, h.last_status, a.n AS audit_events
        FROM cross_border_request r
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS n,
                 (SELECT to_status FROM request_status_history x WHERE x.request_id = r.id ORDER BY x.id DESC LIMIT 1) AS last_status
            FROM request_status_history WHERE request_id = r.id) h ON true
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS n FROM audit_event e
           WHERE e.record_type = 'request' AND e.record_id = r.id::text AND e.outcome = 'success') a ON true
       WHERE h.last_status IS DISTINCT FROM r.status OR h.n <> r.version OR a.n < r.version`)
  ).rows;
  for (const r of half.slice(0, 20))
    problems.push(
      `request ${r.id} half done: status ${r.status} v${r.version}, ${r.history_rows} history rows ` +
        `(last ${r.last_status}), ${r.audit_events} audit events`,
    );
  if (half.length > 20) problems.push(`… and ${half.length - 20} more half-done requests`);
  return problems;
}

async function waitSealed(client: Client): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [{ n }] = (
      await client.query(
        `SELECT count(*)::int AS n FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)`,
      )
    ).rows;
    if (n === 0 || Date.now() > deadline) return n;
    await sleep(200);
  }
}

async function main() {
  const db = await createBenchDatabase();
  const data = tempDir();
  const signingKey = auditSigningKey();
  const port = randomPort();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const problems: string[] = [];
  const acks = new Map<string, Ack>();
  let server: RunningServer | null = null;
  try {
    // The audit record type of requests, read from a real creation rather than assumed.
    server = await startServer({ databaseUrl: db.url, dataDir: data.path, signingKey, port });
    let cast = await signInAll(server.base);
    const framework = await frameworkId(cast.krOfficer);
    for (let round = 1; round <= ROUNDS; round++) {
      const killAfter = 2000 + Math.floor(Math.random() * 3000);
      const started = Date.now();
      const writers = Array.from({ length: WORKERS }, (_, n) =>
        worker(cast, framework, acks, started + 5000, round * 1000 + n),
      );
      await sleep(killAfter);
      await server.kill9();
      const written = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
      const inFlight = [...acks.values()].filter((a) => a.inFlight).length;
      console.log(
        `round ${round}: SIGKILL after ${killAfter} ms; ${written} writes acknowledged this round ` +
          `(${acks.size} requests so far, ${inFlight} with a step in flight at the crash)`,
      );
      server = await startServer({ databaseUrl: db.url, dataDir: data.path, signingKey, port });
      cast = await signInAll(server.base);
      if (process.env.CRASH_SELFTEST === '1' && round === 1) {
        // Negative control: a request moved on without its history row must be reported.
        await client.query(
          `UPDATE cross_border_request SET status = 'sent' WHERE id = (SELECT id FROM cross_border_request WHERE status = 'draft' LIMIT 1)`,
        );
        console.log('round 1: CRASH_SELFTEST=1 moved one draft to sent behind the app’s back; expect FAIL');
      }
      const roundProblems = await checkDatabase(client, acks);
      const unsealed = await waitSealed(client);
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
      // Steps in flight at this crash are settled now: what the database holds is what was acknowledged.
      const settled = (
        await client.query(
          `SELECT id, status, version FROM cross_border_request WHERE id = ANY($1::uuid[])`,
          [[...acks.keys()]],
        )
      ).rows as Array<{ id: string; status: string; version: number }>;
      for (const r of settled) acks.set(r.id, { status: r.status, version: r.version, inFlight: null });
    }
  } catch (error) {
    problems.push(`the check itself failed: ${error instanceof Error ? error.stack : String(error)}`);
    if (server) console.error(server.output().slice(-3000));
  } finally {
    await server?.stop();
    await client.end();
    await db.drop();
    data.remove();
  }
  for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
  console.log(
    problems.length
      ? `CRASH CHECK: FAIL (${problems.length} problems over ${ROUNDS} kill -9 rounds, ${acks.size} requests)`
      : `CRASH CHECK: PASS (${ROUNDS} kill -9 rounds, ${acks.size} acknowledged requests all present and whole, audit chain verifies)`,
  );
  process.exit(problems.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log('CRASH CHECK: FAIL (the check could not run)');
  process.exit(1);
});

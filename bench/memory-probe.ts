/**
 * Memory probe (issue 21; bench/README "Session 8"): the `npm run bench` phases that make the peak
 * (BENCH_SECONDS of creates, 300 requests sent, BENCH_SECONDS of the inbound list at c=32) on the
 * server started as `npm start` starts it, plus PROBE_NODE_ARGS (space-separated node flags) and
 * PROBE_ENV (`KEY=value …`). Prints RSS and the peak after each phase; with `--trace-gc` in
 * PROBE_NODE_ARGS and PROBE_TRACE=1 the last mark-compacts (heap before -> after); with
 * `--heapsnapshot-signal=SIGUSR2` and PROBE_SNAPSHOT=1 a heap snapshot half-way through the list run
 * (written in the current directory). PROBE_TEMPLATE names a kept, migrated and seeded bench database
 * (`BENCH_KEEP=1`) to clone for each probe instead of migrating a new one.
 *
 *   PROBE_NODE_ARGS=--trace-gc PROBE_TRACE=1 npx ts-node --project bench/tsconfig.json bench/memory-probe.ts
 */
import { readFileSync } from 'node:fs';
import { databaseUrl } from '../test/support/test-database-server';
import { aDraft, frameworkId, sendRequests } from './support/fixtures';
import {
  auditSigningKey,
  createBenchDatabase,
  admin,
  ADMIN_URL,
  loadAverage,
  measure,
  signIn,
  startServer,
  tempDir,
  sleep,
} from './support/harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const mb = (pid: number, key: string) =>
  (
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
  ).toFixed(0);

async function main() {
  console.log(`load ${await loadAverage()}`);
  // PROBE_TEMPLATE: a kept, migrated and seeded bench database, cloned afresh for each probe.
  const template = process.env.PROBE_TEMPLATE;
  const name = `probe_${process.pid}`;
  if (template) await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const db = template
    ? {
        url: databaseUrl(ADMIN_URL, name),
        name,
        drop: () => admin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`)),
      }
    : await createBenchDatabase();
  console.log(`db ${db.name}`);
  const data = tempDir();
  const nodeArgs = (process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const env = Object.fromEntries(
    (process.env.PROBE_ENV ?? '')
      .split(' ')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  );
  const server = await startServer({
    databaseUrl: db.url,
    dataDir: data.path,
    signingKey: auditSigningKey(),
    nodeArgs,
    env,
  });
  const summary: string[] = [];
  const rss = (label: string) =>
    summary.push(`${label}: RSS ${mb(server.pid, 'VmRSS')} MB, peak ${mb(server.pid, 'VmHWM')} MB`);
  try {
    await sleep(2000);
    rss('start-up');
    const krOfficer = await signIn(server.base, 'kr.officer');
    const krLiaison = await signIn(server.base, 'kr.liaison');
    const khLiaison = await signIn(server.base, 'kh.liaison');
    const framework = await frameworkId(krOfficer);
    const c = await measure(
      'create',
      {
        url: `${server.base}/information-requests`,
        method: 'POST',
        token: krOfficer.token,
        body: aDraft(framework),
        connections: 32,
        seconds: SECONDS,
      },
      1,
    );
    rss(`after creates (${c.rps} req/s)`);
    await sendRequests(krOfficer, krLiaison, framework, 300);
    rss('after 300 sent');
    // PROBE_SNAPSHOT: a heap snapshot (node --heapsnapshot-signal=SIGUSR2) half-way through the list run.
    const snap = process.env.PROBE_SNAPSHOT
      ? setTimeout(() => process.kill(server.pid, 'SIGUSR2'), (SECONDS / 2 + 3) * 1000)
      : undefined;
    const l = await measure(
      'list',
      {
        url: `${server.base}/information-requests?direction=inbound`,
        token: khLiaison.token,
        connections: 32,
        seconds: SECONDS,
      },
      1,
    );
    clearTimeout(snap);
    if (snap) await sleep(60_000); // the snapshot is written synchronously by the server: let it finish
    rss(`after list (${l.rps} req/s)`);
    if (process.env.PROBE_TRACE) {
      const lines = server
        .output()
        .split('\n')
        .filter((l) => /Mark-Compact|Scavenge/.test(l));
      console.log(
        lines
          .filter((l) => /Mark-Compact/.test(l))
          .slice(-40)
          .join('\n'),
      );
      console.log(
        `${lines.filter((l) => /Scavenge/.test(l)).length} scavenges, ${lines.filter((l) => /Mark-Compact/.test(l)).length} mark-compacts`,
      );
    }
    console.log(summary.join('\n'));
  } finally {
    await server.stop();
    data.remove();
    await db.drop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

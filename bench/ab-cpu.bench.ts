/**
 * `npm run bench:ab` (never part of `npm test`): the server's CPU per request of two builds, measured
 * in turns on one database, for an A/B on a machine whose absolute speed drifts (other work on the
 * same cores). Keep the build from before a change (`cp -r dist dist-before`), build the change, then
 *
 *   BENCH_AB_BUILDS=dist-before,dist BENCH_AB_ROUTES=create,list npm run bench:ab
 *
 * Each round runs every route on every build, in turn: the server started, a 3 s wrk warm-up, then one
 * wrk run of BENCH_SECONDS (10) at BENCH_CONNECTIONS (32), whose requests divide the server's CPU time
 * over exactly that run (from /proc). Routes: `health` and `me` (see `routeOptions`), `create` (POST
 * /information-requests as kr.officer), `list` (GET ?direction=inbound as kh.liaison, after
 * BENCH_SENT_REQUESTS (300) requests were sent), `list1` (the same with `limit=1`: what a page costs
 * beyond its items), `files` (GET /cases/:id/attachments as kh.officer: a case KR shared with KH, one file
 * on it). Beside the server's CPU, the CPU of the database's backends per request (from /proc, so only
 * with PostgreSQL on this machine and readable by this user; else not printed).
 * Prints each measurement and the median per build and route, and the load average.
 *
 * Every build starts as `npm start` starts it (package.json's node flags, `userStartCommand`); a build
 * named with `:bare` (`BENCH_AB_BUILDS=dist:bare,dist`) starts as a bare `node main.js`, and one named
 * with flags (`dist:--max-old-space-size=1536+--max-semi-space-size=8`) as `node <those flags> main.js`,
 * where `VAR=value` words set the environment instead (`dist:--no-liftoff+MALLOC_ARENA_MAX=2`): an A/B
 * of the start command itself. A `node=<path>` word runs the build on another Node.js binary
 * (`dist,dist:node=/opt/node24/bin/node`: the same build on two runtimes); alone, it keeps `npm start`'s
 * flags and environment. The peak RSS of each server is printed with its measurements.
 */
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { aDraft, frameworkId, sendRequests } from './support/fixtures';
import {
  Api,
  auditSigningKey,
  backendCpuMs,
  cpuMs,
  createBenchDatabase,
  loadAverage,
  median,
  signIn,
  startServer,
  tempDir,
  wrk,
  WrkOptions,
} from './support/harness';

/** `--flag` and `VAR=value` words of a build's variant (`dist:--flag+VAR=value`). */
const variantWords = (variant: string | undefined) =>
  variant && variant !== 'bare' ? variant.split('+') : [];

/** The Node.js binary a `node=<path>` word names, if any. */
const nodeBinaryOf = (variant: string | undefined) =>
  variantWords(variant)
    .find((w) => w.startsWith('node='))
    ?.slice('node='.length);

const BUILDS = (process.env.BENCH_AB_BUILDS ?? 'dist').split(',').map((b) => b.trim());
const ROUTES = (process.env.BENCH_AB_ROUTES ?? 'create,list').split(',').map((r) => r.trim());
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SENT = Number(process.env.BENCH_SENT_REQUESTS ?? 300);

/**
 * What each route measures: `health` the framework alone (public, no database), `me` a signed-in read
 * (token, user look-up, one small view), then the two routes issue 21 sets targets for.
 */
function routeOptions(
  route: string,
  base: string,
  as: {
    krOfficer: { token: string };
    khLiaison: { token: string };
    framework: string;
    sharedCase?: SharedCase;
  },
): WrkOptions {
  switch (route) {
    case 'health':
      return { url: `${base.replace(/\/v1$/, '')}/health` };
    case 'me':
      return { url: `${base}/auth/me`, token: as.krOfficer.token };
    case 'create':
      return {
        url: `${base}/information-requests`,
        method: 'POST',
        token: as.krOfficer.token,
        body: aDraft(as.framework),
      };
    case 'list':
      return { url: `${base}/information-requests?direction=inbound`, token: as.khLiaison.token };
    case 'list1':
      // The same list with one item: the cost a page pays whatever its length.
      return { url: `${base}/information-requests?direction=inbound&limit=1`, token: as.khLiaison.token };
    case 'files':
      // A partner's read of a shared case's files: the attachment's visibility and times as read.
      return { url: `${base}/cases/${as.sharedCase!.id}/attachments`, token: as.sharedCase!.reader.token };
    default:
      throw new Error(`unknown route ${route}: health, me, create, list, list1 or files`);
  }
}

interface SharedCase {
  id: string;
  reader: Api;
}

/** A case of KR's with one file on it, shared with KH; read by kh.officer. */
async function sharedCaseWithAFile(base: string, krOfficer: Api): Promise<SharedCase> {
  const created = await krOfficer.call('POST', '/cases', { title: 'Bench: a shared case with a file' });
  if (created.status !== 201) throw new Error(`case: ${created.status} ${JSON.stringify(created.body)}`);
  const id = (created.body as { id: string }).id;
  const uploaded = await fetch(`${base}/cases/${id}/attachments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${krOfficer.token}`,
      'content-type': 'application/octet-stream',
      'x-filename': 'statement.txt',
    },
    body: 'A witness statement, nothing more.\n',
  });
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const krLiaison = await signIn(base, 'kr.liaison');
  const shared = await krLiaison.call('POST', `/cases/${id}/shares`, { countryCode: 'KH' });
  if (shared.status !== 201) throw new Error(`share: ${shared.status} ${JSON.stringify(shared.body)}`);
  return { id, reader: await signIn(base, 'kh.officer') };
}

/**
 * CPU so far of the backends connected to `url`'s database (`backendCpuMs`), or null when /proc does not
 * show them (PostgreSQL on another machine).
 */
async function databaseCpuMs(url: string): Promise<number | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
    cpuMs(rows[0]!.pid); // throws when PostgreSQL runs on another machine: no such process here
    return await backendCpuMs(client);
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

async function main() {
  console.log(`A/B of ${BUILDS.join(' vs ')} on ${ROUTES.join(', ')}; load average ${await loadAverage()}`);
  const db = await createBenchDatabase();
  const data = tempDir();
  const results = new Map<string, Array<{ cpu: number; rps: number }>>();
  let prepared = false;
  let sharedCase: SharedCase | undefined;
  try {
    for (let round = 1; round <= ROUNDS; round++)
      for (const build of BUILDS) {
        const [directory, variant] = build.split(':');
        process.env.BENCH_MAIN = resolve(join(directory!, 'src/main.js'));
        const server = await startServer({
          databaseUrl: db.url,
          dataDir: data.path,
          signingKey: auditSigningKey(),
          asUsersStartIt:
            variant === undefined || variantWords(variant).every((w) => w.startsWith('node=')),
          nodeBinary: nodeBinaryOf(variant),
          nodeArgs: variantWords(variant).filter((w) => w.startsWith('--')),
          env: Object.fromEntries(
            variantWords(variant)
              .filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w))
              .map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
          ),
        });
        try {
          const krOfficer = await signIn(server.base, 'kr.officer');
          const framework = await frameworkId(krOfficer);
          if (!prepared && ROUTES.some((r) => r.startsWith('list'))) {
            await sendRequests(krOfficer, await signIn(server.base, 'kr.liaison'), framework, SENT);
            prepared = true;
          }
          if (ROUTES.includes('files')) sharedCase ??= await sharedCaseWithAFile(server.base, krOfficer);
          if (sharedCase) sharedCase.reader = await signIn(server.base, 'kh.officer');
          const khLiaison = await signIn(server.base, 'kh.liaison');
          for (const route of ROUTES) {
            const options = routeOptions(route, server.base, { krOfficer, khLiaison, framework, sharedCase });
            await wrk({ ...options, connections: CONNECTIONS, seconds: 3 });
            const cpu0 = cpuMs(server.pid);
            const db0 = await databaseCpuMs(db.url);
            const run = await wrk({ ...options, connections: CONNECTIONS, seconds: SECONDS });
            const cpu = (cpuMs(server.pid) - cpu0) / run.requests;
            const db1 = await databaseCpuMs(db.url);
            const dbCpu =
              db0 === null || db1 === null ? '' : `, database ${((db1 - db0) / run.requests).toFixed(2)} ms`;
            if (run.errors) throw new Error(`${build} ${route}: ${run.errors} errors\n${run.raw}`);
            const key = `${route} ${build}`;
            results.set(key, [...(results.get(key) ?? []), { cpu, rps: run.rps }]);
            console.log(
              `  round ${round} ${key.padEnd(24)} ${cpu.toFixed(2)} ms CPU/request${dbCpu}, ${run.rps.toFixed(0)} req/s, ` +
                `p95 ${run.p95.toFixed(0)} ms (load ${await loadAverage()})`,
            );
          }
          console.log(`  round ${round} ${build}: server peak RSS ${server.peakRssMb().toFixed(0)} MB`);
        } finally {
          await server.stop();
        }
      }
  } finally {
    data.remove();
    await db.drop();
  }
  console.log(`\nmedians (load average at end ${await loadAverage()}):`);
  for (const [key, runs] of results)
    console.log(
      `  ${key.padEnd(24)} ${median(runs.map((r) => r.cpu)).toFixed(2)} ms CPU/request, ` +
        `${median(runs.map((r) => r.rps)).toFixed(0)} req/s`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

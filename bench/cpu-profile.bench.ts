/**
 * `npm run bench:profile` (never part of `npm test`): where the built server's CPU goes on one route.
 * Starts the server with V8's sampling profiler (`--cpu-prof`), sends BENCH_PROFILE_REQUESTS requests
 * of the route, BENCH_PROFILE_CONCURRENCY at a time, stops the server so it writes the profile, and
 * prints the self time by where the code lives (a package of node_modules, a folder of src/, Node's
 * own code, the garbage collector). Proportions hold on a busy machine; milliseconds do not.
 *
 *   npm run build && BENCH_PROFILE_ROUTE=create npm run bench:profile     (or list, screening, me)
 *
 * BENCH_PROFILE_DATABASE=<a kept database> profiles on it as it is (the screening route on the million
 * entries `npm run bench:screening` keeps, say): nothing is set up, and the database is not dropped.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aDraft, aScreening, activeBlacklist, frameworkId, sendRequests } from './support/fixtures';
import { databaseUrl } from '../test/support/test-database-server';
import {
  ADMIN_URL,
  Api,
  auditSigningKey,
  cpuMs,
  createBenchDatabase,
  loadAverage,
  signIn,
  sleep,
  startServer,
  tempDir,
} from './support/harness';

const ROUTE = process.env.BENCH_PROFILE_ROUTE ?? 'create';
const REQUESTS = Number(process.env.BENCH_PROFILE_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_PROFILE_CONCURRENCY ?? 16);
/** `1`: also count the statements sent to PostgreSQL per request (`support/count-queries.js`). */
const COUNT_QUERIES = process.env.BENCH_PROFILE_QUERIES === '1';
const KEPT_DATABASE = process.env.BENCH_PROFILE_DATABASE;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The profile's samples taken while the measured requests ran: the set-up (300 requests sent for the
 * list), the sign-ins and the warm-up left out. The profile's clock is the server's, so the window is
 * placed back from its end, which is the server's exit: `fromEnd` and `toEnd` are how long before that
 * exit (as this process saw it, in ms) the measured requests began and ended.
 */
function measuredOnly(profile: Profile, fromEnd: number, toEnd: number): Profile {
  const begin = profile.endTime - fromEnd * 1000;
  const end = profile.endTime - toEnd * 1000;
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < begin || at > end) return;
    samples.push(id);
    timeDeltas.push(profile.timeDeltas[i] ?? 0);
  });
  return { ...profile, samples, timeDeltas };
}

/** Where a frame's code lives, coarse enough to act on. */
function placeOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  // `dist-…/` too: an older build kept beside the current one for an A/B (`BENCH_MAIN`).
  const own = /\/dist[^/]*\/src\/([^/]+)\//.exec(url) ?? /\/dist[^/]*\/(src|migrations)\//.exec(url);
  if (own) return `src/${own[1]}`;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  return url;
}

function summarise(profile: Profile): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const place = placeOf(byId.get(id)!);
    totals.set(place, (totals.get(place) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * Where a sample's time goes by the stage of a request it serves: the innermost frame of its stack that
 * one of these names (so `pg` called from the create's code counts as `pg`), start-up apart. Ordered
 * for reading, not matching; a stack none names is "other".
 */
const STAGES: Array<[RegExp, string]> = [
  [/^(writev|writeBuffer) $/, 'socket writes (writev)'],
  [/^\(garbage collector\)/, 'garbage collector'],
  [/validation\.pipe|class-validator|class-transformer/, 'validation + transformation'],
  [/utf8-json-body|duplicate-json-keys|jsonc-parser|secure-json-parse/, 'body: JSON parse, duplicate names'],
  [/identifier-keys/, 'release rule: numbers in the body (identifier-keys)'],
  [/release\.service|provenance\.store|handling-rule/, 'release rule: facts and weighing'],
  [
    /^(createDraft|createDraftUnless|writeDraft|subjectReleased|draftChecks|auditEventInsert) |sql-parts|audit-event\.writer/,
    'building statements (writeDraft, audit event, SqlParams)',
  ],
  [/information-requests\.(service|controller)/, 'create service (other)'],
  [/count-queries/, '(statement counter of BENCH_PROFILE_QUERIES)'],
  [/node_modules\/(pg|pg-pool|pg-protocol|pg-types)\//, 'pg driver (send, parse rows)'],
  [/typeorm/, 'TypeORM'],
  [/request-views|request-header|workflow\.service/, 'view (header, actions)'],
  [/\/src\/(auth|users)\//, 'auth (token, user cache)'],
  [/audit-sealer|audit-canonical/, 'audit sealer'],
  [/pino|logging/, 'logging'],
  [/helmet/, 'helmet'],
  [/fastify|find-my-way|avvio/, 'fastify'],
  [/@nestjs|rxjs|cls-|\/src\/common\/|\/src\/database\//, 'Nest pipeline (guards, interceptors, rxjs, cls)'],
  [/^(runMicrotasks|\(program\)) |node:/, 'node internals (http, streams, promises)'],
];
const START_UP =
  /run_main_module|nest-factory|instance-loader|^(readFileUtf8|internalModuleStat|internalModuleReadJSON|wrapSafe) /;

/** Self time by stage (`STAGES`) and by function, idle and start-up left out; in µs per request. */
function byStageAndFunction(profile: Profile, requests: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const frame = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url}`;
  const where = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist[^/]*\//, '')}:${(n.callFrame.lineNumber ?? 0) + 1}`;
  const stages = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)') return;
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
    if (stack.some((n) => START_UP.test(frame(n)))) return;
    let stage = 'other';
    for (const n of stack) {
      const hit = STAGES.find(([pattern]) => pattern.test(frame(n)));
      if (hit) {
        stage = hit[1];
        if (stage.startsWith('socket'))
          stage += stack.some((s) => /pg\/lib\/query/.test(s.callFrame.url)) ? ': statements' : ': answers';
        break;
      }
    }
    const us = profile.timeDeltas[i] ?? 0;
    stages.set(stage, (stages.get(stage) ?? 0) + us);
    functions.set(where(leaf), (functions.get(where(leaf)) ?? 0) + us);
  });
  const perRequest = (m: Map<string, number>) =>
    [...m.entries()].map(([k, us]): [string, number] => [k, us / requests]).sort((a, b) => b[1] - a[1]);
  return { stages: perRequest(stages), functions: perRequest(functions) };
}

async function inParallel(count: number, concurrency: number, call: (i: number) => Promise<number>) {
  let next = 0;
  const statuses = new Map<number, number>();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const status = await call(next++);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

async function main() {
  const db = KEPT_DATABASE
    ? { url: databaseUrl(ADMIN_URL, KEPT_DATABASE), drop: async () => undefined }
    : await createBenchDatabase();
  const data = tempDir();
  const profiles = tempDir();
  const countFile = join(profiles.path, 'queries.json');
  const queryCounts = async (): Promise<Record<string, number>> => {
    await sleep(1200); // the counter writes its file every second
    return JSON.parse(readFileSync(countFile, 'utf8')) as Record<string, number>;
  };
  try {
    const server = await startServer({
      databaseUrl: db.url,
      dataDir: data.path,
      signingKey: auditSigningKey(),
      nodeArgs: [
        '--cpu-prof',
        `--cpu-prof-dir=${profiles.path}`,
        ...(COUNT_QUERIES ? ['-r', join(__dirname, 'support/count-queries.js')] : []),
      ],
      env: COUNT_QUERIES ? { BENCH_QUERY_COUNT_FILE: countFile } : {},
    });
    let statuses: Map<number, number>;
    let cpuPerRequest = NaN;
    let measuredFrom = NaN;
    let measuredTo = NaN;
    let statements: Array<[string, number]> = [];
    try {
      const kr: Api = await signIn(server.base, 'kr.officer');
      const krLiaison = await signIn(server.base, 'kr.liaison');
      const khLiaison = await signIn(server.base, 'kh.liaison');
      const framework = await frameworkId(kr);
      let send: (i: number) => Promise<number>;
      if (ROUTE === 'create') {
        send = async () => (await kr.call('POST', '/information-requests', aDraft(framework))).status;
      } else if (ROUTE === 'list') {
        await sendRequests(kr, krLiaison, framework, 300);
        send = async () => (await khLiaison.call('GET', '/information-requests?direction=inbound')).status;
      } else if (ROUTE === 'screening') {
        if (!KEPT_DATABASE) await activeBlacklist({ krOfficer: kr, krLiaison, khLiaison }, framework, 200);
        const screener = await signIn(server.base, 'kh.screener');
        send = async () => (await screener.call('POST', '/screenings', aScreening)).status;
      } else if (ROUTE === 'me') {
        send = async () => (await kr.call('GET', '/auth/me')).status;
      } else throw new Error(`BENCH_PROFILE_ROUTE must be create, list, screening or me, not ${ROUTE}`);
      await inParallel(200, CONCURRENCY, send); // warm-up
      const before = COUNT_QUERIES ? await queryCounts() : {};
      const cpu0 = cpuMs(server.pid);
      measuredFrom = performance.now();
      statuses = await inParallel(REQUESTS, CONCURRENCY, send);
      measuredTo = performance.now();
      cpuPerRequest = (cpuMs(server.pid) - cpu0) / REQUESTS;
      if (COUNT_QUERIES) {
        const after = await queryCounts();
        statements = Object.entries(after)
          .map(([text, n]): [string, number] => [text, (n - (before[text] ?? 0)) / REQUESTS])
          .filter(([, n]) => n > 0)
          .sort((a, b) => b[1] - a[1]);
      }
    } finally {
      await server.stop();
    }
    const exitedAt = performance.now();
    const file = readdirSync(profiles.path).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no profile (did it stop cleanly?)');
    const profile = measuredOnly(
      JSON.parse(readFileSync(join(profiles.path, file), 'utf8')) as Profile,
      exitedAt - measuredFrom,
      exitedAt - measuredTo,
    );
    if (process.env.BENCH_PROFILE_KEEP)
      writeFileSync(process.env.BENCH_PROFILE_KEEP, JSON.stringify(profile));
    const summary = summarise(profile);
    const total = summary.reduce((sum, [, us]) => sum + us, 0);
    console.log(
      `${ROUTE}: ${REQUESTS} requests (+200 warm-up), ${CONCURRENCY} at a time; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    console.log(
      `server CPU ${cpuPerRequest.toFixed(2)} ms/request under the profiler (load average now ${await loadAverage()})`,
    );
    if (COUNT_QUERIES) {
      const sum = statements.reduce((n, [, k]) => n + k, 0);
      console.log(`statements sent to PostgreSQL per request: ${sum.toFixed(2)}`);
      for (const [text, n] of statements) console.log(`  ${n.toFixed(2).padStart(6)}  ${text}`);
    }
    console.log(`self time by place, share of the measured requests' sampled time (${(total / 1000).toFixed(0)} ms):`);
    for (const [place, us] of summary.slice(0, 25))
      console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${place}`);
    // Per measured request, idle and start-up left out: wall time on a busy machine, so larger than the
    // CPU above; the split, not the sum, is the finding.
    const { stages, functions } = byStageAndFunction(profile, REQUESTS);
    console.log('by stage of the request (innermost frame named), µs of samples per request:');
    for (const [stage, us] of stages) console.log(`  ${us.toFixed(0).padStart(6)}  ${stage}`);
    console.log('by function (self time), µs of samples per request:');
    for (const [where, us] of functions.slice(0, 30)) console.log(`  ${us.toFixed(0).padStart(6)}  ${where}`);
  } finally {
    data.remove();
    profiles.remove();
    await db.drop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

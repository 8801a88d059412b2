/**
 * `npm run probe:sqlmap` (never part of `npm test`): sqlmap against every parameter of a representative
 * set of endpoints of the built server, one target at a time, and a table of what it found.
 *
 *   npm run build && npm run probe:sqlmap
 *   SQLMAP_LEVEL=3 SQLMAP_RISK=2 SQLMAP_TARGET_SECONDS=300 SQLMAP_ONLY=login,cases-list npm run probe:sqlmap
 *   SQLMAP_LOG_DIR=/tmp/sqlmap-logs npm run probe:sqlmap     # keeps each target's sqlmap console output
 *
 * On a throwaway database `case_desk_bench_<random>` (bench/support/harness.ts: migrated, seeded, dropped
 * at the end) the built server runs with sign-in rate limits lifted (sqlmap sends thousands of logins).
 * The script signs in as the demo users a target needs, creates what the targets refer to (a case, a
 * person, a request sent to KH, an active blacklist), checks that each target's own request succeeds
 * (so sqlmap starts from a 2xx answer, not from a refusal), then runs `/usr/bin/sqlmap --batch` with the
 * bearer token against it: query parameters of the lists (every filter, `limit` and `cursor`), ids in
 * paths (marked `*`), the JSON bodies of the create endpoints, of a workflow step, of sign-in and of a
 * screening, and the Idempotency-Key header. The API has no sort parameter (lists are newest first).
 *
 * A target counts as a finding when sqlmap reports an injection point, or when a payload made the server
 * answer 500 (bad input must be a 4xx). Prints one row per target and `SQLMAP PROBE: CLEAN` or
 * `SQLMAP PROBE: FINDINGS` (exit code 1). Bounded: level/risk (default 3/2), DBMS fixed to PostgreSQL,
 * at most SQLMAP_TARGET_SECONDS per target (default 240), everything on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activeBlacklist, aDraft, aScreening, frameworkId } from './support/fixtures';
import {
  Api,
  auditSigningKey,
  createBenchDatabase,
  DEMO_PASSWORD,
  RunningServer,
  signIn,
  startServer,
  tempDir,
} from './support/harness';
import { ProbeTarget, readSqlmapOutput, SqlmapVerdict } from './support/sqlmap-output';

const LEVEL = process.env.SQLMAP_LEVEL ?? '3';
const RISK = process.env.SQLMAP_RISK ?? '2';
const TARGET_SECONDS = Number(process.env.SQLMAP_TARGET_SECONDS ?? 240);
const ONLY = process.env.SQLMAP_ONLY?.split(',');
const SQLMAP = process.env.SQLMAP ?? '/usr/bin/sqlmap';

type Cast = Record<'krOfficer' | 'krLiaison' | 'krAuditor' | 'khLiaison' | 'khScreener', Api>;

/** The records the targets name, created through the API as a user would. */
async function setUp(cast: Cast) {
  const framework = await frameworkId(cast.krOfficer);
  const call = async (who: Api, method: string, path: string, body: unknown, status: number) => {
    const res = await who.call(method, path, body);
    if (res.status !== status)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  const person = await call(cast.krOfficer, 'POST', '/persons', aPerson, 201);
  const kase = await call(cast.krOfficer, 'POST', '/cases', aCase(person.id), 201);
  await call(cast.krOfficer, 'POST', '/cases', { title: 'A second case, so lists have a next page' }, 201);
  const draft = await call(cast.krOfficer, 'POST', '/information-requests', aDraft(framework), 201);
  const submitted = await call(
    cast.krOfficer,
    'POST',
    `/information-requests/${draft.id}/submit`,
    { version: draft.version },
    200,
  );
  await call(
    cast.krLiaison,
    'POST',
    `/information-requests/${draft.id}/approve`,
    { version: submitted.version },
    200,
  );
  await activeBlacklist(
    { krOfficer: cast.krOfficer, krLiaison: cast.krLiaison, khLiaison: cast.khLiaison },
    framework,
    20,
  );
  const page = await call(cast.krOfficer, 'GET', '/cases?limit=1', undefined, 200);
  return { framework, personId: person.id, caseId: kase.id, requestId: draft.id, cursor: page.nextCursor };
}

const aPerson = {
  names: [{ full: 'KIM Min-jun', family: 'Kim', given: 'Min-jun', script: 'latin', kind: 'primary' }],
  birthDate: '1990-04',
  nationalities: ['KR'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'M12345678', issuingCountry: 'KR' }],
  phones: ['+821012345678'],
};

const aCase = (personId: string) => ({
  title: 'Golden Fortune compound',
  summary: 'Romance scam ring',
  openedOn: '2026-03-01',
  tags: ['compound'],
  persons: [{ personId, role: 'suspect' }],
});

function targets(cast: Cast, s: Awaited<ReturnType<typeof setUp>>): ProbeTarget[] {
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  return [
    {
      name: 'login',
      method: 'POST',
      path: '/auth/login',
      // Not the users signed in below: sqlmap's failed sign-ins lock this account.
      body: { username: 'my.screener', password: DEMO_PASSWORD },
      // Every sign-in answers new tokens: sqlmap tells true from false by the status (200 or 401), and
      // must not stop at the first 401 (it takes that for a request to log in to the site itself).
      sqlmapOptions: ['--code=200', '--ignore-code=401'],
    },
    {
      name: 'cases-list',
      method: 'GET',
      path: `/cases?${q({ status: 'open', tag: 'compound', q: 'Golden', openedFrom: '2026-01-01', openedTo: '2026-12-31', limit: '10' })}`,
      as: cast.krOfficer,
    },
    {
      name: 'cases-cursor',
      method: 'GET',
      path: `/cases?${q({ limit: '1', cursor: s.cursor })}`,
      as: cast.krOfficer,
    },
    {
      name: 'requests-list',
      method: 'GET',
      path: `/information-requests?${q({ status: 'sent', direction: 'outbound', counterpartCountry: 'KH', priority: 'urgent', overdue: 'false', caseId: s.caseId, assignedToMe: 'false' })}`,
      as: cast.krOfficer,
    },
    {
      name: 'persons-search',
      method: 'GET',
      path: `/persons?${q({ name: 'Kim Min', document: 'M12345678', phone: '+821012345678' })}`,
      as: cast.krOfficer,
    },
    {
      name: 'audit-list',
      method: 'GET',
      path: `/audit-events?${q({ actor: 'kr.officer', action: 'case.create', outcome: 'success', recordType: 'case', recordId: s.caseId, from: '2026-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', limit: '5' })}`,
      as: cast.krAuditor,
    },
    {
      name: 'audit-timeline',
      method: 'GET',
      path: `/audit-events/timeline?${q({ recordType: 'case', recordId: s.caseId })}`,
      as: cast.krAuditor,
    },
    {
      name: 'arrests-list',
      method: 'GET',
      path: `/arrests?${q({ raidId: s.requestId, nationality: 'KR', custodyStatus: 'detained', caseId: s.caseId, personId: s.personId, arrestingCountry: 'KR' })}`,
      as: cast.krOfficer,
    },
    {
      name: 'blacklist-list',
      method: 'GET',
      path: `/blacklist-entries?${q({ status: 'active', side: 'proposed' })}`,
      as: cast.krOfficer,
    },
    {
      name: 'stats',
      method: 'GET',
      path: `/stats?${q({ from: '2026-01-01', to: '2027-01-01' })}`,
      as: cast.krAuditor,
    },
    { name: 'case-by-id', method: 'GET', path: `/cases/${s.caseId}*`, as: cast.krOfficer },
    {
      name: 'request-history',
      method: 'GET',
      path: `/information-requests/${s.requestId}*/history`,
      as: cast.krOfficer,
    },
    {
      name: 'request-message',
      method: 'POST',
      path: `/information-requests/${s.requestId}*/messages`,
      body: { body: 'Any news on the subscriber?' },
      as: cast.krOfficer,
    },
    {
      name: 'case-link-persons',
      method: 'POST',
      path: `/cases/${s.caseId}/persons`,
      body: { persons: [{ personId: s.personId, role: 'suspect' }] },
      as: cast.krOfficer,
    },
    { name: 'create-case', method: 'POST', path: '/cases', body: aCase(s.personId), as: cast.krOfficer },
    { name: 'create-person', method: 'POST', path: '/persons', body: aPerson, as: cast.krOfficer },
    {
      name: 'create-request',
      method: 'POST',
      path: '/information-requests',
      body: aDraft(s.framework, { caseId: s.caseId, personIds: [s.personId] }),
      as: cast.krOfficer,
    },
    { name: 'screening', method: 'POST', path: '/screenings', body: aScreening, as: cast.khScreener },
    {
      name: 'audit-verify',
      method: 'POST',
      path: '/audit-events/verify',
      body: { fromSeq: 1, toSeq: 50 },
      as: cast.krAuditor,
    },
    {
      name: 'idempotency-key',
      method: 'POST',
      path: '/cases',
      body: { title: 'Keyed create' },
      headers: { 'Idempotency-Key': 'probe-key-1*' },
      as: cast.krOfficer,
    },
  ];
}

/** The target's own request, without the injection markers, must succeed. */
async function baseline(base: string, t: ProbeTarget): Promise<number> {
  const headers: Record<string, string> = {
    ...(t.as ? { authorization: `Bearer ${t.as.token}` } : {}),
    ...(t.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...Object.fromEntries(Object.entries(t.headers ?? {}).map(([k, v]) => [k, v.replace('*', '')])),
  };
  const res = await fetch(`${base}${t.path.replace('*', '')}`, {
    method: t.method,
    headers,
    body: t.body === undefined ? undefined : JSON.stringify(t.body),
  });
  await res.arrayBuffer();
  return res.status;
}

function runSqlmap(base: string, t: ProbeTarget, outputDir: string): Promise<SqlmapVerdict> {
  const args = [
    '-u',
    `${base}${t.path}`,
    '--method',
    t.method,
    '--batch',
    '--flush-session',
    '--disable-coloring',
    `--output-dir=${outputDir}`,
    '--dbms=PostgreSQL',
    `--level=${LEVEL}`,
    `--risk=${RISK}`,
    '--time-sec=2',
    '--timeout=10',
    '--retries=1',
  ];
  args.push(...(t.sqlmapOptions ?? []));
  if (t.as) args.push('-H', `Authorization: Bearer ${t.as.token}`);
  if (t.body !== undefined)
    args.push('-H', 'Content-Type: application/json', `--data=${JSON.stringify(t.body)}`);
  for (const [k, v] of Object.entries(t.headers ?? {})) args.push('-H', `${k}: ${v}`);
  const started = Date.now();
  return new Promise((resolve) => {
    let out = '';
    const proc = spawn(SQLMAP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => proc.kill('SIGTERM'), TARGET_SECONDS * 1000);
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (process.env.SQLMAP_LOG_DIR) writeFileSync(join(process.env.SQLMAP_LOG_DIR, `${t.name}.log`), out);
      resolve(
        readSqlmapOutput(out, {
          exitCode: code,
          timedOut: signal !== null,
          seconds: (Date.now() - started) / 1000,
        }),
      );
    });
  });
}

async function main() {
  const db = await createBenchDatabase();
  const data = tempDir();
  const out = tempDir();
  let server: RunningServer | null = null;
  const rows: Array<{ target: ProbeTarget; status: number; verdict: SqlmapVerdict | null }> = [];
  let failure: unknown = null;
  try {
    server = await startServer({
      databaseUrl: db.url,
      dataDir: data.path,
      signingKey: auditSigningKey(),
      env: { LOGIN_RATE_LIMIT_PER_ADDRESS: '1000000', LOGIN_RATE_LIMIT_PER_USERNAME: '1000000' },
    });
    const base = server.base;
    const cast: Cast = {
      krOfficer: await signIn(base, 'kr.officer'),
      krLiaison: await signIn(base, 'kr.liaison'),
      krAuditor: await signIn(base, 'kr.auditor'),
      khLiaison: await signIn(base, 'kh.liaison'),
      khScreener: await signIn(base, 'kh.screener'),
    };
    const all = targets(cast, await setUp(cast)).filter((t) => !ONLY || ONLY.includes(t.name));
    console.log(
      `sqlmap ${LEVEL}/${RISK} (level/risk) against ${all.length} targets, at most ${TARGET_SECONDS} s each`,
    );
    for (const target of all) {
      const status = await baseline(base, target);
      const logged = server.output().length;
      const verdict = status < 300 ? await runSqlmap(base, target, out.path) : null;
      rows.push({ target, status, verdict });
      console.log(
        `  ${target.name}: ${verdict ? verdict.summary : `not probed: its own request answered ${status}`}`,
      );
      // The server's own account of any 500, so a finding comes with its cause.
      for (const line of serverErrors(server.output().slice(logged)).slice(0, 3))
        console.log(`    server: ${line}`);
    }
  } catch (error) {
    failure = error;
    console.error(error);
    if (server) console.error(server.output().slice(-3000));
  } finally {
    await server?.stop();
    await db.drop();
    data.remove();
    out.remove();
  }
  printTable(rows);
  const bad = rows.filter((r) => !r.verdict || r.verdict.findings.length || !r.verdict.completed);
  console.log(
    failure || bad.length
      ? `SQLMAP PROBE: FINDINGS (${bad.map((r) => r.target.name).join(', ') || 'the probe could not run'})`
      : `SQLMAP PROBE: CLEAN (${rows.length} targets, ${rows.reduce((n, r) => n + r.verdict!.parameters.length, 0)} parameters, no injection, no 500)`,
  );
  process.exit(failure || bad.length ? 1 : 0);
}

/** Error-level lines (pino level 50+) of the server's log, shortened. */
function serverErrors(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => /"level":(5\d|60)/.test(line))
    .map((line) => line.slice(0, 600));
}

function printTable(rows: Array<{ target: ProbeTarget; status: number; verdict: SqlmapVerdict | null }>) {
  console.log('\n| target | request | parameters tested | 4xx answers | 5xx answers | time | finding |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const { target, status, verdict } of rows) {
    const v = verdict;
    console.log(
      `| ${target.name} | \`${target.method} ${target.path.split('?')[0]}\` | ` +
        `${v ? `${v.parameters.length}: ${v.parameters.join(', ')}` : `not probed (${status})`} | ` +
        `${v?.clientErrors ?? '—'} | ${v?.serverErrors ?? '—'} | ` +
        `${v ? `${v.seconds.toFixed(0)} s${v.completed ? '' : ' (cut off)'}` : '—'} | ${v?.findings.join('; ') || 'none'} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  console.log('SQLMAP PROBE: FINDINGS (the probe could not run)');
  process.exit(1);
});

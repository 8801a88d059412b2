/**
 * Shared by the HTTP benchmarks and the crash check: a throwaway real-PostgreSQL database migrated and
 * seeded exactly as the tests' global set-up does it, the built server (`dist/src/main.js`, as
 * `npm start` runs it) as a child process, sign-in, wrk runs, and a little arithmetic. Everything
 * targets 127.0.0.1 only.
 */
import 'reflect-metadata';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/database-options';
import { seedDemoData } from '../../src/seed/demo-seeder';
import { TEST_DEMO_PASSWORD } from '../../test/support/demo-password';
import { userStartCommand } from '../../test/support/start-command';
import { databaseUrl } from '../../test/support/test-database-server';

export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * The built server; `BENCH_MAIN` runs another build (a copy of `dist/` kept from before a change) for
 * an A/B on one machine. Read at each start, so one script can alternate builds.
 */
export const mainScript = () =>
  process.env.BENCH_MAIN ? resolve(process.env.BENCH_MAIN) : join(__dirname, '../../dist/src/main.js');
export const LUA = join(__dirname, '../wrk/request.lua');

/** `npm start`'s node flags and environment (package.json), with which every benchmark starts the server. */
export { userStartCommand };
export const DEMO_PASSWORD = TEST_DEMO_PASSWORD;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
export const randomPort = () => 40_000 + Math.floor(Math.random() * 10_000);

export async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** `case_desk_bench_<random>`: created, migrated with the app's migrations and seeded with the demo data. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  // BENCH_DATABASE_NAME: a name of one's own (for a database kept with BENCH_KEEP=1 and reused later).
  const name = process.env.BENCH_DATABASE_NAME ?? `case_desk_bench_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(ADMIN_URL, name);
  const drop = async () => {
    if (process.env.BENCH_KEEP === '1') {
      console.log(`(BENCH_KEEP=1: database ${name} kept)`);
      return;
    }
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  try {
    const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 1 }));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.transaction((manager) => seedDemoData(manager, DEMO_PASSWORD));
    await dataSource.destroy();
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url, drop };
}

export interface RunningServer {
  process: ChildProcess;
  pid: number;
  port: number;
  base: string;
  output: () => string;
  /** VmHWM (peak resident set) of the server process, in MB, from /proc. */
  peakRssMb: () => number;
  stop: () => Promise<void>;
  kill9: () => Promise<void>;
}

function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function waitReady(server: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`server exited:\n${output()}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline) {
      // The caller never gets the server to stop: a server left running keeps its database busy.
      server.kill('SIGKILL');
      throw new Error(`server not ready:\n${output()}`);
    }
    await sleep(200);
  }
}

function track(proc: ChildProcess, port: number, base: string, output: () => string): RunningServer {
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    process: proc,
    pid: proc.pid!,
    port,
    base,
    output,
    peakRssMb: () => peakRssOf(proc.pid!),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    kill9: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** One Ed25519 key per run, so restarts of the server sign with the same key. */
export function auditSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).toString('base64');
}

export interface ServerOptions {
  databaseUrl: string;
  port?: number;
  dataDir: string;
  signingKey: string;
  env?: Record<string, string>;
  /** Flags for node itself, before the script (`--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /** Another Node.js binary than the one running the bench (an A/B of runtimes). */
  nodeBinary?: string;
  /**
   * false: a bare `node main.js`, without the flags and environment of `npm start` (an A/B of those
   * flags). By default the server starts as `npm start` starts it (`userStartCommand`).
   */
  asUsersStartIt?: boolean;
}

/**
 * The built server as production runs it (`npm start`'s node flags and environment), jobs off, logs at
 * warn, the audit sealer on (every 200 ms).
 */
/**
 * BENCH_SERVER_ENV='{"AUDIT_SEAL_INTERVAL_MS":"1000"}': settings of the server under test for an A/B,
 * without a change to the bench (they win over the bench's own).
 */
function serverEnvOverrides(): Record<string, string> {
  const raw = process.env.BENCH_SERVER_ENV;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('BENCH_SERVER_ENV must be a JSON object of strings');
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = options.port ?? randomPort();
  let out = '';
  const start = options.asUsersStartIt === false ? { env: {}, nodeArgs: [] } : userStartCommand();
  const node = options.nodeBinary ?? process.execPath;
  const proc = spawn(node, [...start.nodeArgs, ...(options.nodeArgs ?? []), mainScript()], {
    env: {
      ...start.env,
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: '10',
      PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATIONS_RUN: 'false',
      SEED_DEMO_ON_EMPTY: 'false',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      OPENAPI_ENABLED: 'false',
      DATA_DIR: options.dataDir,
      JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789abcdef',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      AUDIT_SEAL_INTERVAL_MS: '200',
      AUDIT_SIGNING_KEY: options.signingKey,
      ...options.env,
      ...serverEnvOverrides(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(proc, `${base}/api/ready`, () => out);
  return track(proc, port, `${base}/api/v1`, () => out);
}

/** bench/floor-server.js on the same database. */
export async function startFloorServer(dbUrl: string): Promise<RunningServer> {
  const port = randomPort();
  let out = '';
  const proc = spawn(process.execPath, [join(__dirname, '../floor-server.js')], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: dbUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  await waitReady(proc, `${base}/ready`, () => out);
  return track(proc, port, base, () => out);
}

export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'case-desk-bench-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface Api {
  token: string;
  call: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: any; headers: Headers }>;
}

export async function signIn(base: string, username: string): Promise<Api> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`sign-in ${username}: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { accessToken: string }).accessToken;
  return {
    token,
    call: async (method, path, body, headers = {}) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: r.status, body: parsed, headers: r.headers };
    },
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

export interface WrkResult {
  rps: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Non-2xx/3xx answers plus socket errors and timeouts: must be 0 for a run to count. */
  errors: number;
  raw: string;
}

export interface WrkOptions {
  url: string;
  method?: 'GET' | 'POST';
  token?: string;
  body?: unknown;
  threads?: number;
  connections?: number;
  seconds?: number;
}

/** One wrk run (`--latency`, the Lua script above); latencies in milliseconds. */
export async function wrk(options: WrkOptions): Promise<WrkResult> {
  const dir = tempDir();
  try {
    let bodyFile = '';
    if (options.body !== undefined) {
      bodyFile = join(dir.path, 'body.json');
      writeFileSync(bodyFile, JSON.stringify(options.body));
    }
    const args = [
      `-t${options.threads ?? 2}`,
      `-c${options.connections ?? 32}`,
      `-d${options.seconds ?? 15}s`,
      '--timeout',
      '10s',
      '--latency',
      '-s',
      LUA,
      options.url,
    ];
    const raw = await new Promise<string>((resolve, reject) =>
      execFile(
        process.env.WRK ?? '/usr/bin/wrk',
        args,
        {
          env: {
            PATH: process.env.PATH ?? '',
            WRK_METHOD: options.method ?? 'GET',
            WRK_TOKEN: options.token ?? '',
            WRK_BODY_FILE: bodyFile,
          },
          timeout: ((options.seconds ?? 15) + 30) * 1000,
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const line = raw.split('\n').find((l) => l.startsWith('WRK_JSON '));
    if (!line) throw new Error(`wrk printed no summary:\n${raw}`);
    const j = JSON.parse(line.slice('WRK_JSON '.length));
    return {
      rps: j.requests / (j.duration_us / 1e6),
      requests: j.requests,
      p50: j.p50 / 1000,
      p95: j.p95 / 1000,
      p99: j.p99 / 1000,
      max: j.max / 1000,
      errors: j.status_errors + j.connect_errors + j.read_errors + j.write_errors + j.timeouts,
      raw,
    };
  } finally {
    dir.remove();
  }
}

export const fmt = (r: WrkResult) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  ` +
  `p99 ${r.p99.toFixed(1)} ms  (${r.requests} requests${r.errors ? `, ${r.errors} ERRORS` : ''})`;

export interface Summary {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  runs: WrkResult[];
}

/** `runs` wrk runs after one short warm-up; the medians of each figure. */
export async function measure(label: string, options: WrkOptions, runs: number): Promise<Summary> {
  await wrk({ ...options, seconds: 3 });
  const results: WrkResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await wrk(options);
    console.log(`  ${label} run ${i + 1}: ${fmt(r)}`);
    results.push(r);
  }
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p95: median(results.map((r) => r.p95)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    runs: results,
  };
}

export const fmtSummary = (s: Summary) =>
  `median ${s.rps.toFixed(0)} req/s, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, ` +
  `p99 ${s.p99.toFixed(1)} ms (runs: ${s.runs.map((r) => r.rps.toFixed(0)).join(', ')} req/s` +
  `${s.errors ? `; ${s.errors} ERRORS` : ''})`;

export async function loadAverage(): Promise<string> {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** CPU time (user + system) the process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const { user, system } = cpuSplitMs(pid);
  return user + system;
}

/**
 * CPU time so far of every backend connected to `client`'s database but the reader's own, in ms, from
 * /proc (PostgreSQL on this machine, readable by this user). A backend that ended between the query and
 * the read is left out.
 */
export async function backendCpuMs(client: Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  let total = 0;
  for (const { pid } of rows) {
    try {
      total += cpuMs(pid);
    } catch {
      // a backend that ended between the query and the read
    }
  }
  return total;
}

/** A process's CPU time so far, in its own code (user) and in the kernel on its behalf (system). */
export function cpuSplitMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime (fields 14 and 15), in ticks of USER_HZ, which is 100 on Linux
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

/**
 * Samples pg_stat_activity of `database` every 100 ms while `work` runs: how many of the app's active
 * backends were waiting on a lock, on I/O (WAL flush at commit), or running, on average.
 */
export async function withActivitySampler<T>(
  dbUrl: string,
  work: () => Promise<T>,
): Promise<{ result: T; activity: string }> {
  const client = new Client({ connectionString: dbUrl });
  await client.connect();
  const totals = new Map<string, number>();
  let samples = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const { rows } = await client.query(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'running') AS w, count(*)::int AS n
           FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
          GROUP BY 1`,
      );
      samples++;
      for (const r of rows) totals.set(r.w, (totals.get(r.w) ?? 0) + r.n);
      await sleep(100);
    }
  })();
  try {
    const result = await work();
    return {
      result,
      activity:
        [...totals.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([w, n]) => `${w} ${(n / Math.max(1, samples)).toFixed(1)}`)
          .join(', ') || 'idle',
    };
  } finally {
    stop = true;
    await loop;
    await client.end();
  }
}

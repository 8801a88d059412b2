import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userStartCommand } from '../support/start-command';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';
import { serverPort } from '../support/ports';

/**
 * The default a newcomer gets: no DATABASE_URL, PGlite persisted under DATA_DIR. PGlite loads its WASM
 * through dynamic imports that jest's sandbox cannot run, so this spec starts the built server as a real
 * process (`npm test` builds first), exactly as `npm start` does (its node flags included).
 */
const MAIN = join(__dirname, '../../dist/src/main.js');

interface Server {
  process: ChildProcess;
  output: () => string;
  port: number;
}

function startServer(dataDir: string, port: number): Server {
  const start = userStartCommand();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...start.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    MIGRATIONS_RUN: 'true',
    DEMO_PASSWORD: 'embedded-demo-password-1',
  };
  delete env.DATABASE_URL;
  delete env.JWT_SECRET;
  const child = spawn(process.execPath, [...start.nodeArgs, MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { process: child, output: () => output, port };
}

async function waitUntilReady(server: Server, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    const ok = await fetch(`http://127.0.0.1:${server.port}/api/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready in time:\n${server.output()}`);
}

async function signInStatus(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'kr.officer', password: 'embedded-demo-password-1' }),
  });
  return res.status;
}

/** A refused write inside a transaction: its denial is audited on the single embedded connection. */
async function refusedWriteStatus(port: number): Promise<number> {
  const base = `http://127.0.0.1:${port}/api/v1`;
  const token = async (username: string) =>
    (
      (await (
        await fetch(`${base}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'embedded-demo-password-1' }),
        })
      ).json()) as { accessToken: string }
    ).accessToken;
  const kr = await token('kr.admin');
  const me = (await (
    await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${kr}` } })
  ).json()) as { id: string };
  const kh = await token('kh.admin');
  const res = await fetch(`${base}/users/${me.id}/disable`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kh}` },
    signal: AbortSignal.timeout(10_000),
  });
  return res.status;
}

async function stop(server: Server): Promise<number | null> {
  // Ended already, by its own exit or by a signal: no `exit` event is coming.
  if (server.process.exitCode !== null || server.process.signalCode !== null) return server.process.exitCode;
  server.process.kill('SIGTERM');
  const [code] = await once(server.process, 'exit');
  return code as number | null;
}

describe('Embedded database default (PGlite), as `npm start` runs it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'case-desk-embedded-'));
  const port = serverPort();
  const running: Server[] = [];
  afterAll(async () => {
    await Promise.all(running.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'starts with no PostgreSQL server, seeds demo data once, keeps it across a restart, and refuses a second process on the same data directory',
    async () => {
      const first = startServer(dataDir, port);
      running.push(first);
      await waitUntilReady(first);
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
      // The first start of an empty embedded database seeds the demo accounts.
      expect(await signInStatus(port)).toBe(200);
      expect(await refusedWriteStatus(port)).toBe(404);
      expect(first.output()).toMatch(/Migrations applied: \d+/);

      const second = startServer(dataDir, serverPort());
      running.push(second);
      const [exitCode] = await once(second.process, 'exit');
      expect(exitCode).not.toBe(0);
      expect(second.output()).toMatch(/in use by another process/);

      expect(await stop(first)).toBe(0);
      const again = startServer(dataDir, port);
      running.push(again);
      await waitUntilReady(again);
      // The accounts survived the restart (and were not seeded twice: the start would have failed).
      expect(await signInStatus(port)).toBe(200);
      expect(again.output()).not.toMatch(/Demo data seeded/);
      // Nothing to migrate: the instance that checked serves (one PGlite boot, not two).
      expect(again.output()).toMatch(/No migration pending/);
      expect(again.output()).not.toMatch(/Migrations applied/);
      expect(await stop(again)).toBe(0);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});

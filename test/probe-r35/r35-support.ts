import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BuiltServer, startBuiltServer, stopBuiltServer, waitUntilReady } from '../support/built-server';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { webhookDeliverySettings } from '../support/webhook-settings';

/**
 * Probe r35: two replicas on one database. Two built servers (`node dist/src/main.js`, as production
 * runs it) on the spec's database beside the in-process test app, which does the set-up. All three
 * sign with the test app's JWT secret, so one token works on each, as behind a load balancer. The two
 * replicas share a DATA_DIR (attachments) and an audit signing key, as README asks; the test app's
 * files are not on their disk, so files are uploaded through A. Each change is made through A, and the
 * affected user or partner reads through B at once.
 */
export interface Replicas {
  a: BuiltServer;
  b: BuiltServer;
  stop: () => Promise<void>;
}

/** The test app's secret (test/support/test-app.ts): its tokens are the ones the task force holds. */
const TEST_APP_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export async function twoReplicas(
  t: TestApp,
  env: { a?: Record<string, string>; b?: Record<string, string>; both?: Record<string, string> } = {},
): Promise<Replicas> {
  const dataDir = mkdtempSync(join(tmpdir(), 'case-desk-r35-'));
  const signingKey = String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const common = {
    NODE_ENV: 'test',
    DATABASE_URL: t.databaseUrl,
    DATABASE_POOL_SIZE: '4',
    DATA_DIR: dataDir,
    MIGRATIONS_RUN: 'false',
    SEED_DEMO_ON_EMPTY: 'false',
    OPENAPI_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    JWT_SECRET: TEST_APP_JWT_SECRET,
    AUDIT_SIGNING_KEY: signingKey,
    JOBS_ENABLED: 'false',
    LOGIN_RATE_LIMIT_PER_ADDRESS: '100000',
    LOGIN_RATE_LIMIT_PER_USERNAME: '100000',
    ...env.both,
  };
  const a = startBuiltServer('replica A', { ...common, ...env.a });
  const b = startBuiltServer('replica B', { ...common, ...env.b });
  const stop = async () => {
    await Promise.all([a, b].map(stopBuiltServer));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([a, b].map((s) => waitUntilReady(s, 60_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { a, b, stop };
}

/**
 * The desk every case file of this folder works on: one database (the test app's), its demo task force
 * signed in, and two replicas, B working the job queue and A answering requests only. Shared by the
 * folder's case files, as three pairs of built servers would spend half the suite's minute starting;
 * each case file makes the accounts it changes (`aCopyOf`) and touches records of its own.
 * Stopped by the suite (`probe-r35.e2e-spec.ts`) after the last case file.
 */
export interface Desk {
  t: TestApp;
  tf: TaskForce;
  r: Replicas;
}

let desk: Promise<Desk> | null = null;

export function sharedDesk(): Promise<Desk> {
  desk ??= (async () => {
    const t = await createTestApp();
    try {
      const tf = await taskForce(t);
      const r = await twoReplicas(t, { b: webhookDeliverySettings() });
      return { t, tf, r };
    } catch (error) {
      await t.close();
      throw error;
    }
  })();
  return desk;
}

export async function closeSharedDesk(): Promise<void> {
  const started = desk;
  desk = null;
  const d = await started?.catch(() => null);
  await d?.r.stop();
  await d?.t.close();
}

/**
 * A new account `username` with `roles` (by default those of `of`), in the agency and with the password
 * of the demo account `of`. Answers its id.
 */
export async function aCopyOf(t: TestApp, of: string, username: string, roles?: string[]): Promise<string> {
  const [row] = await t.dataSource.query(
    `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
     SELECT $1, $1, agency_id, country_code, coalesce($2::text[], roles), password_hash FROM app_user WHERE username = $3
     RETURNING id`,
    [username, roles ?? null, of],
  );
  return row.id as string;
}

/** `who`'s token sent to one replica, as the balancer would route that one request. */
export function through(server: BuiltServer, who: SignedIn | string) {
  const token = typeof who === 'string' ? who : who.tokens.accessToken;
  const auth = { Authorization: `Bearer ${token}` };
  const path = (p: string) => (p.startsWith('/api') ? p : `/api/v1${p}`);
  return {
    get: (p: string) => request(server.url).get(path(p)).set(auth),
    post: (p: string, body?: object) =>
      request(server.url)
        .post(path(p))
        .set(auth)
        .send(body ?? {}),
    patch: (p: string, body?: object) =>
      request(server.url)
        .patch(path(p))
        .set(auth)
        .send(body ?? {}),
    delete: (p: string) => request(server.url).delete(path(p)).set(auth),
  };
}

export type Through = ReturnType<typeof through>;

/**
 * What a GET tells its caller about record `id`: the status, and whether the id appears anywhere in
 * the answer (a list item, a link, an audit event naming it) but in the path asked and the caller's
 * own `audit.read` events. Bodies are not compared whole: reads leave marks (times read, `audit.read`
 * events) that make two reads of the same state differ.
 */
export async function tells(via: Through, path: string, id: string): Promise<string> {
  const res = await via.get(path).buffer(true).parse(bytes);
  // A problem body may echo the path asked (`instance`): that is the caller's own id, not a disclosure.
  let text = (res.body as Buffer).toString('latin1').split(path).join('');
  // An auditor's own reads are `audit.read` events naming what was asked (probe r34): not the record's.
  if (path.startsWith('/audit-events') && res.status === 200)
    text = JSON.stringify(
      JSON.parse(text, (_key, value: { action?: unknown } | null) =>
        value?.action === 'audit.read' ? undefined : value,
      ),
    );
  return `${res.status} ${text.includes(id) ? 'names it' : 'silent'}`;
}

/** Any answer's bytes, whatever its content type (JSON, a PDF, a ZIP). */
const bytes = (res: request.Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** The local TCP ports of a process's sockets (Linux /proc): which database sessions are its own. */
function localPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let link = '';
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** The backend pid of `server`'s user-cache LISTEN session, or null while it has none. */
export async function userCacheListenerOf(t: TestApp, server: BuiltServer): Promise<number | null> {
  const ports = localPortsOf(server.process.pid!);
  const rows: Array<{ pid: number; client_port: number }> = await t.dataSource.query(
    `SELECT pid, client_port FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'case-desk-user-cache'`,
  );
  return rows.find((r) => ports.has(r.client_port))?.pid ?? null;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Ends `server`'s LISTEN session from the database side (an idle-session killer, a failover, a
 * restarted pooler) and returns once PostgreSQL no longer lists it: from then on an instance that
 * sends an invalidation does not count `server` among those that must acknowledge it.
 */
export async function cutUserCacheListener(t: TestApp, server: BuiltServer): Promise<void> {
  const pid = await waitFor('the listener', () => userCacheListenerOf(t, server));
  await t.dataSource.query(`SELECT pg_terminate_backend($1)`, [pid]);
  await waitFor('the listener to be gone', async () => {
    const rows = await t.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid]);
    return rows.length === 0;
  });
}

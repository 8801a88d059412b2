import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
/** Settings a hot standby must have at least as high as its primary, or it refuses to start. */
const AT_LEAST_PRIMARY = [
  'max_connections',
  'max_worker_processes',
  'max_wal_senders',
  'max_prepared_transactions',
  'max_locks_per_transaction',
];

export interface StreamingStandby {
  port: number;
  /** `primaryUrl` with this standby's port: the same database, read on the standby. */
  urlFor(primaryUrl: string): string;
  /** Waits until the standby has replayed everything the primary had written when called. */
  catchUp(timeoutMs?: number): Promise<void>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops the server, keeping its files (`remove` deletes them). */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; free again once this returns). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real streaming standby of the server at `adminUrl` (a superuser's URL): `pg_basebackup -R` into a
 * temp directory, started with `pg_ctl` on `port`. Physical replication copies the whole cluster, so
 * this takes as long as copying it (~20 s for 3 GB here). PostgreSQL refuses to run as root: as root,
 * the binaries run as the `postgres` user (runuser). The primary must accept replication connections
 * from 127.0.0.1 (pg_hba.conf `host replication all 127.0.0.1/32 trust`; see README, read replicas).
 */
export async function startStreamingStandby(adminUrl: string, port: number): Promise<StreamingStandby> {
  const primary = new URL(adminUrl);
  const asRoot = process.getuid?.() === 0;
  const exec = (bin: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(BIN, bin), ...args]) : run(join(BIN, bin), args);
  const dir = mkdtempSync(join(tmpdir(), 'case-desk-standby-'));
  const data = join(dir, 'data');
  const owner = asRoot ? await postgresIds() : null;
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chmodSync(dir, 0o700);
  }
  const settings = await primarySettings(adminUrl);
  try {
    // Once more after a cut stream: another suite on the shared server may end every session at once.
    const backup = () =>
      exec('pg_basebackup', [
        '-h',
        primary.hostname,
        '-p',
        primary.port || '5432',
        '-U',
        decodeURIComponent(primary.username || 'postgres'),
        '-D',
        data,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
        // A throwaway copy: no fsync of gigabytes, no manifest checksums to compute.
        '--no-sync',
        '--no-manifest',
      ]);
    await backup().catch(async (error: unknown) => {
      if (!/unexpected termination|terminating connection|background process terminated/.test(String(error)))
        throw error;
      rmSync(data, { recursive: true, force: true });
      await backup();
    });
    // A Debian cluster keeps its configuration outside the data directory: the standby gets its own.
    const config = [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'hot_standby = on',
      'hot_standby_feedback = on',
      'shared_buffers = 32MB',
      'fsync = off',
      `logging_collector = off`,
      ...AT_LEAST_PRIMARY.map((name) => `${name} = ${settings[name]}`),
    ];
    writeOwned(join(data, 'postgresql.conf'), `${config.join('\n')}\n`, owner);
    writeOwned(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n', owner);
    await exec('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', join(dir, 'standby.log')]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const onStandby = async <T>(sql: string): Promise<T[]> => {
    const client = new Client({ connectionString: urlOn(adminUrl, port) });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };
  let stopped = false;
  const standby: StreamingStandby = {
    port,
    urlFor: (url) => urlOn(url, port),
    async catchUp(timeoutMs = 30_000) {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      const [{ lsn }] = (await client.query(`SELECT pg_current_wal_insert_lsn()::text AS lsn`)).rows;
      await client.end();
      const until = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await onStandby<{ done: boolean }>(
          `SELECT coalesce(pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn, false) AS done`,
        ).catch(() => [{ done: false }]);
        if (row.done) return;
        if (Date.now() > until) throw new Error(`the standby did not replay up to ${lsn}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async pauseReplay() {
      await onStandby(`SELECT pg_wal_replay_pause()`);
      for (;;) {
        const [row] = await onStandby<{ state: string }>(`SELECT pg_get_wal_replay_pause_state() AS state`);
        if (row.state === 'paused') return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async resumeReplay() {
      await onStandby(`SELECT pg_wal_replay_resume()`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', data]).catch(() => undefined);
    },
    async remove() {
      await standby.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return standby;
}

export function urlOn(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

async function primarySettings(adminUrl: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name = ANY($1)`,
      [AT_LEAST_PRIMARY],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await client.end();
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** A file of the data directory, owned like the rest of it (pg_basebackup ran as `postgres`). */
function writeOwned(path: string, text: string, owner: { uid: number; gid: number } | null): void {
  writeFileSync(path, text, { mode: 0o600 });
  if (owner) chownSync(path, owner.uid, owner.gid);
}

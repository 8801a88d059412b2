import { execFile, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { serverPort } from './ports';

const run = promisify(execFile);

/** The machine's PostgreSQL programs (Debian: /usr/lib/postgresql/<version>/bin), newest version. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_basebackup')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      'The read-replica spec needs PostgreSQL server programs (initdb, pg_basebackup) under /usr/lib/postgresql',
    );
  return join(root, versions[0]!, 'bin');
}

export interface StreamingPair {
  /** `postgres://…/<database>` on the primary and on its standby. */
  primaryUrl: (database: string) => string;
  standbyUrl: (database: string) => string;
  /** Stops applying WAL on the standby (it keeps receiving it), and starts again. */
  pauseReplay: () => Promise<void>;
  resumeReplay: () => Promise<void>;
  /** Whether the standby has replayed everything the primary has written so far. */
  caughtUp: () => Promise<boolean>;
  stopStandby: () => Promise<void>;
  startStandby: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * A PostgreSQL primary and a streaming standby of it, both throwaway, on free ports of 127.0.0.1: the
 * machine's own server is left alone (its pg_hba.conf allows no replication connections). As root the
 * servers run as the `postgres` user, which PostgreSQL requires; otherwise as the current user.
 */
export async function startStreamingPair(): Promise<StreamingPair> {
  const bin = postgresBin();
  const asRoot = process.getuid?.() === 0;
  const parent = mkdtempSync(join(tmpdir(), 'case-desk-replica-'));
  const owner = asRoot
    ? await run('id', ['-u', 'postgres']).then((r) => Number(r.stdout.trim()))
    : userInfo().uid;
  if (asRoot) {
    chmodSync(parent, 0o711);
    chownSync(parent, owner, -1);
  }
  const as = (program: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], { cwd: parent })
      : run(join(bin, program), args, { cwd: parent });
  const primaryDir = join(parent, 'primary');
  const standbyDir = join(parent, 'standby');
  const primaryPort = serverPort();
  const standbyPort = primaryPort - 1; // still below the range for outgoing connections
  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const startServer = (dir: string, port: number) =>
    as('pg_ctl', [
      '-D',
      dir,
      '-l',
      join(parent, `${port}.log`),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${parent}`,
      'start',
    ]);

  // initdb with trust also lets 127.0.0.1 open replication connections (its pg_hba.conf says so).
  await as('initdb', [
    '-D',
    primaryDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  appendFileSync(
    join(primaryDir, 'postgresql.conf'),
    [
      "listen_addresses = '127.0.0.1'",
      'wal_level = replica',
      'max_wal_senders = 4',
      'fsync = off',
      'shared_buffers = 32MB',
      'max_connections = 60',
      '',
    ].join('\n'),
  );
  await startServer(primaryDir, primaryPort);
  const startStandby = () => startServer(standbyDir, standbyPort).then(() => undefined);
  try {
    // -R writes primary_conninfo and standby.signal: the copy starts as a standby streaming from it.
    await as('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      standbyDir,
      '-R',
      '-X',
      'stream',
      '--no-sync',
    ]);
    await startStandby();
  } catch (error) {
    await as('pg_ctl', ['-D', primaryDir, '-m', 'immediate', 'stop']).catch(() => undefined);
    rmSync(parent, { recursive: true, force: true });
    throw error;
  }

  const onStandby = async <T>(sql: string): Promise<T> => {
    const client = new Client({ connectionString: url(standbyPort, 'postgres') });
    await client.connect();
    try {
      return (await client.query(sql)).rows[0] as T;
    } finally {
      await client.end();
    }
  };
  const stopStandby = () =>
    as('pg_ctl', ['-D', standbyDir, '-m', 'fast', '-w', 'stop']).then(() => undefined);
  return {
    primaryUrl: (database) => url(primaryPort, database),
    standbyUrl: (database) => url(standbyPort, database),
    pauseReplay: () => onStandby('SELECT pg_wal_replay_pause()'),
    resumeReplay: () => onStandby('SELECT pg_wal_replay_resume()'),
    caughtUp: async () => {
      const client = new Client({ connectionString: url(primaryPort, 'postgres') });
      await client.connect();
      try {
        const {
          rows: [{ lsn }],
        } = await client.query(`SELECT pg_current_wal_insert_lsn()::text AS lsn`);
        const { done } = await onStandby<{ done: boolean }>(
          `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`,
        );
        return done;
      } finally {
        await client.end();
      }
    },
    stopStandby,
    startStandby,
    stop: async () => {
      await as('pg_ctl', ['-D', standbyDir, '-m', 'immediate', 'stop']).catch(() => undefined);
      await as('pg_ctl', ['-D', primaryDir, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** Copies a database of the tests' server (a template) into `database` on `targetAdminUrl`'s server. */
export async function copyDatabase(
  sourceUrl: string,
  targetAdminUrl: string,
  database: string,
): Promise<void> {
  const bin = postgresBin();
  const admin = new Client({ connectionString: targetAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const target = new URL(targetAdminUrl);
  target.pathname = `/${database}`;
  await new Promise<void>((resolve, reject) => {
    const dump = spawn(join(bin, 'pg_dump'), ['--no-owner', '--no-privileges', sourceUrl], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const restore = spawn(join(bin, 'psql'), ['-q', '-v', 'ON_ERROR_STOP=1', target.toString()], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let errors = '';
    dump.stderr.on('data', (d) => (errors += d));
    restore.stderr.on('data', (d) => (errors += d));
    dump.stdout.pipe(restore.stdin);
    restore.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`copying ${database}: ${errors}`)),
    );
    dump.on('exit', (code) => {
      if (code !== 0) reject(new Error(`pg_dump: ${errors}`));
    });
  });
}

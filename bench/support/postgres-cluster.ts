/**
 * Crash-restarts the machine's PostgreSQL cluster for the crash check: `pg_ctlcluster <version> <name>
 * stop -m immediate` (the server exits without a checkpoint, as on a power cut, and replays its WAL on
 * the next start), then `start`, then waits until it answers queries again. It ends every connection of
 * everyone using that cluster, so callers only do it when asked (CRASH_RESTART_POSTGRES=1).
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { reachable } from '../../test/support/test-database-server';
import { sleep } from './harness';

export interface Cluster {
  version: string;
  name: string;
}

/** `CRASH_PG_CLUSTER=15/main`, else the one version under /etc/postgresql with its cluster `main`. */
export function machineCluster(): Cluster {
  const given = process.env.CRASH_PG_CLUSTER;
  if (given) {
    const [version, name] = given.split('/');
    if (!version || !name) throw new Error(`CRASH_PG_CLUSTER must look like 15/main, not ${given}`);
    return { version, name };
  }
  const versions = readdirSync('/etc/postgresql');
  if (versions.length !== 1)
    throw new Error(
      `found PostgreSQL versions ${versions.join(', ')}; say which with CRASH_PG_CLUSTER=<version>/main`,
    );
  return { version: versions[0]!, name: 'main' };
}

/** Refuses a database that is not on this machine: we can only restart our own cluster. */
export function requireLocal(databaseUrl: string): void {
  const host = new URL(databaseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
    throw new Error(`CRASH_RESTART_POSTGRES=1 needs the database on this machine, not on ${host}`);
}

function pgCtlCluster(cluster: Cluster, action: 'stop' | 'start', options: string[] = []): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(
      'pg_ctlcluster',
      // Without systemd in the container (CI), pg_ctlcluster must not hand over to systemctl.
      ['--skip-systemctl-redirect', ...options, cluster.version, cluster.name, action],
      { timeout: 60_000 },
      (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()),
    ),
  );
}

/** Waits (at most 90 s) until `databaseUrl` answers a query, i.e. crash recovery has finished. */
export async function waitForPostgres(databaseUrl: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await reachable(databaseUrl, 2000))) {
    if (Date.now() > deadline) throw new Error('PostgreSQL did not answer within 90 s of its restart');
    await sleep(250);
  }
}

/** Stops the cluster the hard way and starts it again; the milliseconds it was down for, until it answered. */
export async function crashRestart(cluster: Cluster, databaseUrl: string): Promise<number> {
  const started = Date.now();
  await pgCtlCluster(cluster, 'stop', ['--mode', 'immediate']);
  await pgCtlCluster(cluster, 'start');
  await waitForPostgres(databaseUrl);
  return Date.now() - started;
}

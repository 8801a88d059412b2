import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createApp, CreateAppOptions } from '../../src/app.factory';
import { keepAlive } from './keep-alive';
import { databaseUrl, testDatabasePrefix } from './test-database-server';

export interface TestApp {
  app: NestFastifyApplication;
  /** The underlying Node server, for supertest. */
  server: import('node:http').Server;
  dataSource: DataSource;
  databaseUrl: string;
  close: () => Promise<void>;
}

/**
 * A spec file's database is dropped in the background, and the worker goes on to its next spec file:
 * PostgreSQL 15's DROP DATABASE forces a checkpoint of the whole server and waits for it, and drops run
 * one at a time server-wide (0.1–6.5 s a spec file here while other suites ran; 40 drops side by side
 * took 50 s), so each spec file waited on its own drop and on the other workers' ones. The global teardown drops
 * whatever of this run is left (`dropTestDatabases`), waiting for the drops still running.
 *
 * Through Node's own `require`, not jest's, and with its socket unref'd: the client outlives the spec
 * file whose environment jest tears down, and does not keep a worker that is done from exiting (the
 * server finishes a drop whose client has gone).
 */
function dropInBackground(adminUrl: string, name: string): void {
  const { Client: OutsideClient } = createRequire(__filename)('pg') as typeof import('pg');
  const admin = new OutsideClient({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  // Node applies it once the socket has connected, so not even the sign-in to the server holds a worker.
  (admin as unknown as { connection: { stream: Socket } }).connection.stream.unref();
  admin
    .connect()
    .then(() => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    .catch(() => undefined) // left to the global teardown
    .finally(() => void admin.end().catch(() => undefined));
}

/**
 * The worker's own environment. The app is loaded by Node, not jest (test/support/shared-app-runtime.js),
 * and reads its settings from this one when it starts; jest gives each spec file a copy of it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the runtime hands over the worker's process
const workerEnv = (require('./real-process') as NodeJS.Process).env;

/** Starts an app on this spec file's environment, then puts the worker's back for the next spec file. */
async function withSpecEnvironment<T>(start: () => Promise<T>): Promise<T> {
  const workers = { ...workerEnv };
  replaceEnvironment(workerEnv, process.env);
  try {
    return await start();
  } finally {
    replaceEnvironment(workerEnv, workers);
  }
}

function replaceEnvironment(target: NodeJS.ProcessEnv, source: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
  Object.assign(target, source);
}

async function cloneTemplate(adminUrl: string, template: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        // A throwaway database need not wait for its commits to reach the disk (a crash loses the run
        // anyway): the suite runs about a fifth faster on this VM. Crash safety is the crash check's job
        // (bench/crash-safety.ts), on the server's own settings. TEST_SYNC_COMMIT=on keeps the default.
        if (process.env.TEST_SYNC_COMMIT !== 'on')
          await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
        // A test app's three connections live for one spec file, and PostgreSQL plans each prepared
        // statement afresh at its first five calls on each connection before it tries a generic plan
        // (the steady state a long-lived production connection reaches): in probe r31, 17 s of planning
        // against 14 s of running, the composed attachment read alone 63 ms a plan. Generic at once,
        // a named statement is planned once per connection (r31: 9 s of planning, the run ~15 % less
        // CPU). Answers do not depend on the plan; speed is measured by bench/, on PostgreSQL's default.
        // TEST_PLAN_CACHE_MODE=auto keeps the default.
        const planMode = process.env.TEST_PLAN_CACHE_MODE ?? 'force_generic_plan';
        if (!['auto', 'force_generic_plan', 'force_custom_plan'].includes(planMode))
          throw new Error(`TEST_PLAN_CACHE_MODE must be auto, force_generic_plan or force_custom_plan`);
        if (planMode !== 'auto')
          await admin.query(`ALTER DATABASE ${name} SET plan_cache_mode = ${planMode}`);
        return;
      } catch (error) {
        // Two workers cloning the same template at the same instant: one waits briefly.
        if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
}

/**
 * Boots the real application on a fresh database cloned from the migrated template.
 * Each spec file calls this once in `beforeAll` and `close()` in `afterAll`.
 */
export async function createTestApp(
  options: CreateAppOptions = {},
  env: Record<string, string> = {},
  /**
   * `seeded`: the demo's bilateral world (no multilateral body); `demo`: the whole demo, as `npm start`
   * seeds it; `empty`: migrated but without the demo data (and so without its audit events).
   */
  database: 'seeded' | 'demo' | 'empty' = 'seeded',
  /** A login the app connects as instead of the owner (`databaseUrl` stays the owner's). */
  connectAs?: { user: string; password: string },
): Promise<TestApp> {
  const adminUrl = process.env.TEST_ADMIN_URL;
  const template = {
    empty: process.env.TEST_EMPTY_TEMPLATE_DATABASE,
    demo: process.env.TEST_DEMO_TEMPLATE_DATABASE,
    seeded: process.env.TEST_TEMPLATE_DATABASE,
  }[database];
  if (!adminUrl || !template)
    throw new Error('Run the tests through jest: its global set-up prepares the database.');
  const name = `${testDatabasePrefix(template)}${randomBytes(5).toString('hex')}`;
  await cloneTemplate(adminUrl, template, name);
  const url = databaseUrl(adminUrl, name);

  const appUrl = new URL(url);
  if (connectAs) {
    appUrl.username = connectAs.user;
    appUrl.password = connectAs.password;
  }
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: appUrl.toString(),
    // Three connections: a spec sends a few requests side by side at most (a race, observers reading
    // together), and PostgreSQL plans each named statement five times on every connection before it
    // settles on a generic plan. A test app lives for one spec file, so with eight connections most of
    // its reads were still being planned (probe r31, reads named: 30 of its 35 s of planning were those
    // first plans; with three connections 11.8 s in all, and 92 s of the machine's CPU against 126).
    DATABASE_POOL_SIZE: '3',
    MIGRATIONS_RUN: 'false',
    SEED_DEMO_ON_EMPTY: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JOBS_ENABLED: 'false',
    LOGIN_RATE_LIMIT_PER_ADDRESS: '100000',
    LOGIN_RATE_LIMIT_PER_USERNAME: '100000',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    ...env,
  });
  // TEST_LOG_LEVEL=error shows the server's logs (a 500's cause) while debugging a spec.
  const app = await withSpecEnvironment(() =>
    createApp({ logs: Boolean(process.env.TEST_LOG_LEVEL), ...options }),
  );
  // Listening once, on a port of its own: supertest then sends every request to this server, instead of
  // binding, listening on and closing a fresh port for each one (a bind and a TCP connect per call: a
  // fifth of the not-found walk's CPU, 22 s against 18 s), and over kept-alive connections
  // (test/support/keep-alive.ts), not one per request.
  await app.listen(0, '127.0.0.1');
  keepAlive(app.getHttpServer());
  // Unref'd, as supertest's per-request port was: a server still open when jest ends a worker does not
  // keep it running (else "A worker process has failed to exit gracefully", 3 runs of 6 of test/blacklist,
  // test/probe-r2 and test/audit; none of 3 unref'd).
  app.getHttpServer().unref();

  return {
    app,
    server: app.getHttpServer(),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    databaseUrl: url,
    close: async () => {
      await app.close();
      dropInBackground(adminUrl, name);
    },
  };
}

import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createApp, CreateAppOptions } from '../../src/app.factory';
import { databaseUrl } from './test-database-server';

export interface TestApp {
  app: NestFastifyApplication;
  /** The underlying Node server, for supertest. */
  server: import('node:http').Server;
  dataSource: DataSource;
  databaseUrl: string;
  close: () => Promise<void>;
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
  /** Extra environment; a function receives the database's URL (a replica's URL is built from it). */
  env: Record<string, string> | ((databaseUrl: string) => Record<string, string>) = {},
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
  const name = `case_desk_test_${randomBytes(5).toString('hex')}`;
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
    DATABASE_POOL_SIZE: '8',
    MIGRATIONS_RUN: 'false',
    SEED_DEMO_ON_EMPTY: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JOBS_ENABLED: 'false',
    LOGIN_RATE_LIMIT_PER_ADDRESS: '100000',
    LOGIN_RATE_LIMIT_PER_USERNAME: '100000',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    ...(typeof env === 'function' ? env(url) : env),
  });
  // TEST_LOG_LEVEL=error shows the server's logs (a 500's cause) while debugging a spec.
  const app = await createApp({ logs: Boolean(process.env.TEST_LOG_LEVEL), ...options });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  return {
    app,
    server: app.getHttpServer(),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    databaseUrl: url,
    close: async () => {
      await app.close();
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

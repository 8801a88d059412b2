import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/database-options';
import { seedDemoData } from '../../src/seed/demo-seeder';
import { TEST_DEMO_PASSWORD } from './demo-password';
import { databaseUrl, startTestServer } from './test-database-server';

/** Migrates and seeds one template database with the real migrations; every spec file clones it. */
export default async function globalSetup(): Promise<void> {
  const server = await startTestServer();
  const template = `case_desk_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const dataSource = new DataSource(
    dataSourceOptions({ url: databaseUrl(server.adminUrl, template), poolSize: 1 }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();

  // Three templates: migrated only (for specs that count every audit event from zero), seeded with the
  // demo's bilateral world (most specs), and the whole demo with the multilateral body.
  const empty = `${template}_empty`;
  const copy = new Client({ connectionString: server.adminUrl });
  await copy.connect();
  await copy.query(`ALTER DATABASE ${template} RENAME TO ${empty}`);
  await copy.query(`CREATE DATABASE ${template} TEMPLATE ${empty}`);
  const demo = `${template}_demo`;
  await copy.query(`CREATE DATABASE ${demo} TEMPLATE ${empty}`);
  await copy.end();
  const seeded = new DataSource(
    dataSourceOptions({ url: databaseUrl(server.adminUrl, template), poolSize: 1 }),
  );
  await seeded.initialize();
  // Demo countries, frameworks and accounts (`kr.officer`, …) in the template: every spec starts with them.
  await seeded.transaction((manager) =>
    seedDemoData(manager, TEST_DEMO_PASSWORD, { frameworks: 'bilateral' }),
  );
  await seeded.destroy();
  const whole = new DataSource(dataSourceOptions({ url: databaseUrl(server.adminUrl, demo), poolSize: 1 }));
  await whole.initialize();
  await whole.transaction((manager) => seedDemoData(manager, TEST_DEMO_PASSWORD));
  await whole.destroy();

  process.env.TEST_ADMIN_URL = server.adminUrl;
  process.env.TEST_TEMPLATE_DATABASE = template;
  process.env.TEST_EMPTY_TEMPLATE_DATABASE = empty;
  process.env.TEST_DEMO_TEMPLATE_DATABASE = demo;
  (globalThis as { __stopTestServer?: () => Promise<void> }).__stopTestServer = server.stop;
}

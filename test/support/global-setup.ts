import 'reflect-metadata';
import { Algorithm, hash } from '@node-rs/argon2';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/database-options';
import { seedDemoData } from '../../src/seed/demo-seeder';
import { TEST_DEMO_PASSWORD } from './demo-password';
import { databaseUrl, startTestServer } from './test-database-server';

/** Migrates and seeds one template database with the real migrations; every spec file clones it. */
export default async function globalSetup(): Promise<void> {
  // End-to-end specs run the built app (dist/, test/support/shared-app-runtime.js): built here, so a spec run
  // by hand after a change in src/ never tests yesterday's code (about a second when nothing changed).
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
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
  // Demo countries, frameworks and accounts (`kr.officer`, …): every spec starts with them. The two
  // seeded templates are independent databases, so they are seeded side by side.
  await Promise.all([
    seedTemplate(databaseUrl(server.adminUrl, template), { frameworks: 'bilateral' }),
    seedTemplate(databaseUrl(server.adminUrl, demo), {}),
  ]);

  process.env.TEST_ADMIN_URL = server.adminUrl;
  process.env.TEST_TEMPLATE_DATABASE = template;
  process.env.TEST_EMPTY_TEMPLATE_DATABASE = empty;
  process.env.TEST_DEMO_TEMPLATE_DATABASE = demo;
  (globalThis as { __stopTestServer?: () => Promise<void> }).__stopTestServer = server.stop;
}

async function seedTemplate(url: string, options: Parameters<typeof seedDemoData>[2]): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 1 }));
  await dataSource.initialize();
  try {
    await dataSource.transaction(async (manager) => {
      await seedDemoData(manager, TEST_DEMO_PASSWORD, options);
      // The same password under argon2id with the lightest parameters: spec files sign demo accounts in
      // over a thousand times a run, each costing 13 ms of CPU (57 ms of wall on a busy machine) with
      // the seeder's OWASP parameters, against 0.3 ms. Only the fixture's cost changes: signing in still
      // verifies an argon2id hash, and every password the app sets itself gets the app's parameters.
      await manager.query(`UPDATE app_user SET password_hash = $1`, [
        await hash(TEST_DEMO_PASSWORD, {
          algorithm: Algorithm.Argon2id,
          memoryCost: 1024,
          timeCost: 1,
          parallelism: 1,
        }),
      ]);
    });
  } finally {
    await dataSource.destroy();
  }
}

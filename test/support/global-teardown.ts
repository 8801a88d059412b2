import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_ADMIN_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (adminUrl && template) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${template}_empty WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${template}_demo WITH (FORCE)`);
    await admin.end();
  }
  await (globalThis as { __stopTestServer?: () => Promise<void> }).__stopTestServer?.();
}

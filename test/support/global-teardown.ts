import { dropTestDatabases } from './test-database-server';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_ADMIN_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (adminUrl && template) {
    // This run's spec-file databases still there (test-app.ts drops them in the background), then its templates.
    await dropTestDatabases(adminUrl, template);
  }
  await (globalThis as { __stopTestServer?: () => Promise<void> }).__stopTestServer?.();
}

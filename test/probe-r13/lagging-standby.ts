import { randomBytes } from 'node:crypto';
import { copyDatabase, startStreamingPair, StreamingPair } from '../support/streaming-standby';
import { databaseUrl } from '../support/test-database-server';
import { createTestApp, TestApp } from '../support/test-app';

export async function waitUntil(done: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the standby did not catch up');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The app on a throwaway primary whose lists read a streaming standby (`DATABASE_REPLICA_URLS`), as
 * test/platform/read-replicas.e2e-spec.ts runs it; the standby counts as fresh however far behind.
 */
export async function appOnPrimaryAndStandby(): Promise<{ pair: StreamingPair; t: TestApp }> {
  const pair = await startStreamingPair();
  const database = `case_desk_probe_r13_${randomBytes(4).toString('hex')}`;
  await copyDatabase(
    databaseUrl(process.env.TEST_ADMIN_URL!, process.env.TEST_TEMPLATE_DATABASE!),
    pair.primaryUrl('postgres'),
    database,
  );
  await waitUntil(() => pair.caughtUp(), 30_000);
  const t = await createTestApp(
    {},
    {
      DATABASE_URL: pair.primaryUrl(database),
      DATABASE_REPLICA_URLS: pair.standbyUrl(database),
      DATABASE_REPLICA_MAX_LAG_MS: '600000',
    },
  );
  return { pair, t };
}

/** Runs `step` while the standby applies nothing (it still receives the WAL), then lets it go on. */
export async function whileStandbyPaused<T>(pair: StreamingPair, step: () => Promise<T>): Promise<T> {
  await waitUntil(() => pair.caughtUp(), 30_000);
  await pair.pauseReplay();
  try {
    return await step();
  } finally {
    await pair.resumeReplay();
  }
}

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../src/common/time/clock';
import { BuiltServer, startBuiltServer, stopBuiltServer, waitUntilReady } from '../support/built-server';
import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';

/**
 * Deadline warnings go out exactly once with two app instances running the jobs: two built servers
 * (`node dist/src/main.js`, as production runs it; `npm test` builds first) on this spec's database,
 * each scanning deadlines every 200 ms on its own timer (TEST_DEADLINE_SCAN_INTERVAL_MS) besides the
 * pg-boss job, race for the same requests. The requests were sent "earlier" through the in-process
 * app with its clock moved back, so the servers run on the real clock.
 */
const SCAN_MS = 200;

function startInstance(name: string, databaseUrl: string, dataDir: string, signingKey: string): BuiltServer {
  return startBuiltServer(name, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '4',
    DATA_DIR: dataDir,
    MIGRATIONS_RUN: 'false',
    SEED_DEMO_ON_EMPTY: 'false',
    OPENAPI_ENABLED: 'false',
    LOG_LEVEL: 'debug',
    JWT_SECRET: 'two-instances-secret-that-is-long-enough-0123456789',
    AUDIT_SIGNING_KEY: signingKey,
    JOBS_ENABLED: 'true',
    JOBS_POLL_INTERVAL_MS: '500',
    TEST_DEADLINE_SCAN_INTERVAL_MS: String(SCAN_MS),
  });
}

/** The scans an instance logged (`Deadlines` debug lines), with what each claimed. */
function scansOf(instance: BuiltServer): Array<{ dueSoon: number; overdue: number }> {
  return instance
    .output()
    .split('\n')
    .filter((line) => line.includes('"deadline scan"'))
    .map((line) => JSON.parse(line) as { dueSoon: number; overdue: number });
}

describe('Deadline warnings with two app instances', () => {
  let t: TestApp;
  let tf: TaskForce;
  const dataDir = mkdtempSync(join(tmpdir(), 'case-desk-two-instances-'));
  const instances: BuiltServer[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await Promise.all(instances.map(stopBuiltServer));
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** An urgent KR→KH request (48 h to answer) approved `hoursAgo` hours ago. */
  async function urgentSent(subject: string, hoursAgo: number): Promise<{ id: string }> {
    const d = (
      await tf['kr.officer']
        .post('/information-requests', aDraft(tf.cambodiaKoreaFramework, { priority: 'urgent', subject }))
        .expect(201)
    ).body;
    const s = (
      await tf['kr.officer'].post(`/information-requests/${d.id}/submit`, { version: d.version }).expect(200)
    ).body;
    const clock = jest
      .spyOn(t.app.get(Clock), 'now')
      .mockReturnValue(new Date(Date.now() - hoursAgo * 3600_000));
    try {
      return (
        await tf['kr.liaison']
          .post(`/information-requests/${d.id}/approve`, { version: s.version })
          .expect(200)
      ).body;
    } finally {
      clock.mockRestore();
    }
  }

  const notices = (recordId: string) =>
    t.dataSource.query(
      `SELECT event_type, country_code, count(*)::int AS n FROM notification
        WHERE record_id = $1 AND event_type IN ('request.due_soon', 'request.overdue') GROUP BY 1, 2 ORDER BY 1, 2`,
      [recordId],
    );
  const auditedActions = (recordId: string) =>
    t.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_event WHERE record_id = $1 AND action IN ('request.due_soon', 'request.overdue') GROUP BY 1`,
      [recordId],
    );

  it('an urgent request not accepted within 48 h is warned about once, by one of two instances scanning at the same time', async () => {
    const overdue = await urgentSent('Overdue at two instances', 49); // due an hour ago
    const dueSoon = await urgentSent('Due soon at two instances', 40); // 75 % of its 48 h passed 4 h ago
    const fresh = await urgentSent('Just sent', 0);

    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    instances.push(
      startInstance('instance A', t.databaseUrl, dataDir, String(signingKey)),
      startInstance('instance B', t.databaseUrl, dataDir, String(signingKey)),
    );
    await Promise.all(instances.map((i) => waitUntilReady(i)));

    // Both instances scan several times after the warnings were claimed.
    const deadline = Date.now() + 30_000;
    while (!instances.every((i) => scansOf(i).length >= 10)) {
      if (Date.now() > deadline) throw new Error(instances.map((i) => i.output()).join('\n'));
      await new Promise((r) => setTimeout(r, SCAN_MS));
    }
    await Promise.all(instances.map(stopBuiltServer));

    expect(await notices(overdue.id)).toEqual([
      { event_type: 'request.overdue', country_code: 'KH', n: 1 },
      { event_type: 'request.overdue', country_code: 'KR', n: 1 },
    ]);
    expect(await auditedActions(overdue.id)).toEqual([{ action: 'request.overdue', n: 1 }]);
    expect(await notices(dueSoon.id)).toEqual([{ event_type: 'request.due_soon', country_code: 'KH', n: 1 }]);
    expect(await auditedActions(dueSoon.id)).toEqual([{ action: 'request.due_soon', n: 1 }]);
    expect(await notices(fresh.id)).toEqual([]);
    // Each warning was claimed by exactly one scan of one instance.
    const scans = instances.flatMap(scansOf);
    expect(scans.reduce((n, s) => n + s.overdue, 0)).toBe(1);
    expect(scans.reduce((n, s) => n + s.dueSoon, 0)).toBe(1);

    const inbox = async (who: 'kh.liaison' | 'kr.liaison') =>
      (await tf[who].get('/notifications?limit=200').expect(200)).body.items.filter(
        (n: { recordId: string; eventType: string }) =>
          n.recordId === overdue.id && n.eventType === 'request.overdue',
      );
    expect(await inbox('kh.liaison')).toHaveLength(1);
    expect(await inbox('kr.liaison')).toHaveLength(1);
  });
});

import { randomBytes } from 'node:crypto';
import { databaseUrl } from '../support/test-database-server';
import { signIn, SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { copyDatabase, startStreamingPair, StreamingPair } from '../support/streaming-standby';
import { createTestApp, TestApp } from '../support/test-app';

async function waitUntil(done: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the standby did not catch up');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * DATABASE_REPLICA_URLS against a real streaming standby (issue 21): request lists and the inbox read
 * from it, a caller still reads their own writes at once, a standby that is stopped or behind leaves
 * the reads to the primary, and who may sign in is always decided on the primary.
 */
describe('Read replicas: lists from a streaming standby, read-your-writes, fallback to the primary', () => {
  let pair: StreamingPair;
  let t: TestApp;
  let tf: TaskForce;
  const base = '/information-requests';

  beforeAll(async () => {
    pair = await startStreamingPair();
    const database = `case_desk_${randomBytes(4).toString('hex')}`;
    await copyDatabase(
      databaseUrl(process.env.TEST_ADMIN_URL!, process.env.TEST_TEMPLATE_DATABASE!),
      pair.primaryUrl('postgres'),
      database,
    );
    await waitUntil(() => pair.caughtUp(), 30_000);
    t = await createTestApp(
      {},
      {
        DATABASE_URL: pair.primaryUrl(database),
        DATABASE_REPLICA_URLS: pair.standbyUrl(database),
        DATABASE_REPLICA_MAX_LAG_MS: '600000',
      },
    );
    tf = await taskForce(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pair?.stop();
  });

  const draft = async (who: SignedIn, headers: Record<string, string> = {}) => {
    let call = who.post(base, aDraft(tf.cambodiaKoreaFramework));
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
    return (await call.expect(201)).body.id as string;
  };
  const listed = async (who: SignedIn) =>
    (
      (await who.get(`${base}?direction=outbound&limit=200`).expect(200)).body.items as Array<{ id: string }>
    ).map((r) => r.id);

  it('a list reads the standby, while the writer reads their own new draft at once (from the primary)', async () => {
    await pair.pauseReplay();
    try {
      const id = await draft(tf['kr.officer']);
      // The standby has not applied the draft: a colleague's list, read there, does not show it yet…
      expect(await listed(tf['kr.officer2'])).not.toContain(id);
      // …while the officer who wrote it sees it in the very next request, and so does an idempotent retry.
      expect(await listed(tf['kr.officer'])).toContain(id);
      const retried = await draft(tf['kr.officer2'], {
        'Idempotency-Key': `replica-${randomBytes(4).toString('hex')}`,
      });
      expect(await listed(tf['kr.officer2'])).toContain(retried);
    } finally {
      await pair.resumeReplay();
    }
    await waitUntil(() => pair.caughtUp(), 30_000);
    const all = await listed(tf['kr.officer2']);
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it('the case, person, arrest and blacklist-entry lists read the standby as well', async () => {
    await pair.pauseReplay();
    try {
      const created = (await tf['kr.officer'].post('/cases', { title: 'Read on a standby' }).expect(201))
        .body;
      const cases = async (who: SignedIn) =>
        ((await who.get('/cases?limit=200').expect(200)).body.items as Array<{ id: string }>).map(
          (c) => c.id,
        );
      expect(await cases(tf['kr.liaison2'])).not.toContain(created.id);
      expect(await cases(tf['kr.officer'])).toContain(created.id);
      for (const path of ['/persons', '/arrests', '/blacklist-entries'])
        await tf['kr.liaison2'].get(`${path}?limit=5`).expect(200);
    } finally {
      await pair.resumeReplay();
    }
  });

  it('once a share is revoked, no standby that has not replayed the revocation serves any list', async () => {
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'Shared, then not' }).expect(201)).body;
    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    await waitUntil(() => pair.caughtUp(), 30_000);
    const listedCases = async (who: SignedIn) =>
      ((await who.get('/cases?limit=200').expect(200)).body.items as Array<{ id: string }>).map((c) => c.id);
    expect(await listedCases(tf['kr.liaison2'])).toContain(khCase.id);
    await pair.pauseReplay();
    try {
      await tf['kh.liaison'].delete(`/cases/${khCase.id}/shares/KR`).expect(200);
      // KR wrote nothing, yet its list must not come from a standby that still has the share.
      expect(await listedCases(tf['kr.liaison2'])).not.toContain(khCase.id);
    } finally {
      await pair.resumeReplay();
    }
    // Until the standby has the revocation every read is the primary's; the next tests need it back.
    await waitUntil(() => pair.caughtUp(), 30_000);
  });

  it('the inbox reads the standby too, and shows what it has replayed', async () => {
    await pair.pauseReplay();
    let sentId: string;
    try {
      sentId = await draft(tf['kr.officer']);
      const submitted = await tf['kr.officer'].post(`${base}/${sentId}/submit`, { version: 1 }).expect(200);
      await tf['kr.liaison']
        .post(`${base}/${sentId}/approve`, { version: submitted.body.version })
        .expect(200);
      const inbox = async () =>
        (
          (await tf['kh.liaison'].get('/notifications?limit=200').expect(200)).body.items as Array<{
            recordId: string;
          }>
        ).map((n) => n.recordId);
      expect(await inbox()).not.toContain(sentId);
      await pair.resumeReplay();
      await waitUntil(() => pair.caughtUp(), 30_000);
      expect(await inbox()).toContain(sentId);
    } finally {
      await pair.resumeReplay();
    }
  });

  it('statistics and the audit trail read the standby; the audit.read event itself is written on the primary', async () => {
    const stats = async () => {
      const { from: _from, to: _to, ...figures } = (await tf['kh.liaison2'].get('/stats').expect(200)).body;
      return figures;
    };
    const creations = async (id: string) =>
      (await tf['kr.auditor'].get(`/audit-events?action=request.create&recordId=${id}`).expect(200)).body
        .items;
    const before = await stats();
    const reads = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_event WHERE action = 'audit.read' AND actor_username = 'kr.auditor'`,
        )
      )[0].n as number;
    const readsBefore = await reads();
    await pair.pauseReplay();
    let id: string;
    try {
      id = await draft(tf['kr.officer']);
      const submitted = await tf['kr.officer'].post(`${base}/${id}/submit`, { version: 1 }).expect(200);
      await tf['kr.liaison'].post(`${base}/${id}/approve`, { version: submitted.body.version }).expect(200);
      expect(await stats()).toEqual(before);
      expect(await creations(id)).toEqual([]);
      expect(await reads()).toBe(readsBefore + 1);
    } finally {
      await pair.resumeReplay();
    }
    await waitUntil(() => pair.caughtUp(), 30_000);
    expect(await stats()).not.toEqual(before);
    expect(await creations(id)).toHaveLength(1);
  });

  it('a disabled user is refused at the next request, although the standby has not heard of it', async () => {
    await pair.pauseReplay();
    try {
      const admin = await signIn(t.server, 'kr.admin');
      await listed(tf['kr.officer2']);
      await admin.post(`/users/${await tf.userId('kr.officer2')}/disable`).expect(200);
      await tf['kr.officer2'].get(`${base}?direction=outbound`).expect(401);
    } finally {
      await pair.resumeReplay();
    }
  });

  it('with the standby stopped, lists answer from the primary', async () => {
    await pair.stopStandby();
    try {
      const id = await draft(tf['kr.officer']);
      // Another reader: nothing of theirs to wait for, so only the standby's absence sends them to the primary.
      expect(await listed(tf['kr.liaison2'])).toContain(id);
      await tf['kh.liaison'].get('/notifications').expect(200);
    } finally {
      await pair.startStandby();
    }
  });
});

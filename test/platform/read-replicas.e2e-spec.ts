import { signIn } from '../support/http';
import { freePort, startStreamingStandby, StreamingStandby, urlOn } from '../support/streaming-standby';
import { createTestApp, TestApp } from '../support/test-app';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';

/**
 * Read replicas (issue 21) against a real streaming standby of the test server: list, statistics and
 * audit reads go to the standby, a caller reads their own writes at once, authentication stays on the
 * primary, and a standby that stops only sends the reads back to the primary.
 *
 * Replay is paused to make the standby's answer visible: what another user just wrote is then missing
 * from a list served by the standby, and present in one served by the primary.
 */
jest.setTimeout(HEAVY_TEST_TIMEOUT_MS);

type Listed = { body: { items: Array<{ id?: string; recordId?: string | null }> } };
const ids = (res: Listed) => res.body.items.map((item) => item.id);

describe('Read replicas', () => {
  let t: TestApp;
  let standby: StreamingStandby;

  beforeAll(async () => {
    const port = await freePort();
    // The base backup (the whole cluster) and the app's database are made side by side; the new
    // database reaches the standby through the WAL.
    const [started, created] = await Promise.allSettled([
      startStreamingStandby(process.env.TEST_ADMIN_URL!, port),
      createTestApp({}, (url) => ({
        DATABASE_REPLICA_URLS: urlOn(url, port),
        // Replay stays paused for a few seconds below: the standby must still count as fresh enough.
        DATABASE_REPLICA_MAX_LAG_MS: '60000',
      })),
    ]);
    // Whichever came up is taken down in afterAll, even when the other failed.
    if (started.status === 'fulfilled') standby = started.value;
    if (created.status === 'fulfilled') t = created.value;
    if (started.status === 'rejected') throw started.reason;
    if (created.status === 'rejected') throw created.reason;
    await standby.catchUp();
  });

  afterAll(async () => {
    await t?.close();
    await standby?.remove();
  });

  async function paused<T>(body: () => Promise<T>): Promise<T> {
    await standby.catchUp();
    await standby.pauseReplay();
    try {
      return await body();
    } finally {
      await standby.resumeReplay();
    }
  }

  it("serves another user's list from the standby, and the writer's own list from the primary", async () => {
    const officer = await signIn(t.server, 'kr.officer');
    const colleague = await signIn(t.server, 'kr.officer2');
    const created = await paused(async () => {
      // Through the idempotency interceptor's transaction too: the position is read after its COMMIT.
      const res = await officer
        .post('/cases', { title: 'Raid on the Golden Fortune compound', openedOn: '2026-03-01' })
        .set('Idempotency-Key', 'read-replicas-0001')
        .expect(201);
      const id = (res.body as { id: string }).id;
      // The creator's read waits for a standby that has their write: the primary answers.
      expect(ids(await officer.get('/cases').expect(200))).toContain(id);
      // The colleague has written nothing: the paused standby answers, without the new case.
      expect(ids(await colleague.get('/cases').expect(200))).not.toContain(id);
      return id;
    });
    await standby.catchUp();
    expect(ids(await colleague.get('/cases').expect(200))).toContain(created);
  });

  it('serves every replica route on a paused standby; an audit read is recorded on the primary', async () => {
    const officer = await signIn(t.server, 'kr.officer');
    const auditor = await signIn(t.server, 'kr.auditor');
    const me = (await auditor.get('/auth/me').expect(200)).body as { id: string };
    const auditReads = async () =>
      Number(
        (
          await t.dataSource.query(
            `SELECT count(*) AS n FROM audit_event WHERE action = 'audit.read' AND actor_user_id = $1`,
            [me.id],
          )
        )[0].n,
      );
    const before = await auditReads();
    await paused(async () => {
      const res = await officer
        .post('/cases', { title: 'Scam compound in Sihanoukville', openedOn: '2026-04-01' })
        .expect(201);
      const id = (res.body as { id: string }).id;
      const events = (await auditor.get('/audit-events').expect(200)) as Listed;
      // Read on the standby, which has not replayed the case's creation...
      expect(events.body.items.map((e) => e.recordId)).not.toContain(id);
      // ...and the read itself recorded on the primary before the answer came.
      expect(await auditReads()).toBe(before + 1);
      await auditor.get(`/audit-events/timeline?recordType=case&recordId=${id}`).expect(200);
      expect(await auditReads()).toBe(before + 2);
      for (const path of ['/stats', '/persons', '/arrests', '/blacklist-entries', '/information-requests'])
        await officer.get(path).expect(200);
    });
  });

  it('authenticates on the primary: a user disabled while replay is paused is refused at once', async () => {
    const liaison = await signIn(t.server, 'kr.liaison2');
    const admin = await signIn(t.server, 'kr.admin');
    const me = (await liaison.get('/auth/me').expect(200)).body as { id: string };
    await liaison.get('/cases').expect(200);
    await paused(async () => {
      await admin.post(`/users/${me.id}/disable`).expect(200);
      // The standby still has the user enabled; the look-up reads the primary.
      await liaison.get('/cases').expect(401);
    });
  });

  it('reads from the primary, with 200s, once the standby has stopped', async () => {
    const officer = await signIn(t.server, 'kr.officer');
    const colleague = await signIn(t.server, 'kr.officer2');
    const auditor = await signIn(t.server, 'kr.auditor');
    await standby.stop();
    const res = await officer
      .post('/cases', { title: 'Call centre raid in Bavet', openedOn: '2026-05-01' })
      .expect(201);
    const id = (res.body as { id: string }).id;
    expect(ids(await colleague.get('/cases').expect(200))).toContain(id);
    await colleague.get('/stats').expect(200);
    await auditor.get('/audit-events').expect(200);
    // Within the rest after the failure, and after it: still the primary, still 200.
    await new Promise((r) => setTimeout(r, 2100));
    expect(ids(await colleague.get('/cases').expect(200))).toContain(id);
  });
});

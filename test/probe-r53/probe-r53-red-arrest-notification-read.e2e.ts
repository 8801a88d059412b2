import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r53, lead 1 (probe r51's open point): KH sends KR a RED repatriation request about KH's arrest
 * of a KR national and corrects the arrest. KR reads the arrest only through the RED request, so only
 * its liaisons (the named recipients) are told (`arrest.corrected`, record type `arrest`). KR's officers
 * and auditors read neither the arrest nor the request. A liaison's read of that notification, one at a
 * time or all at once, must not tell KR's auditors anything: not in their list, timeline or export, nor
 * in `notification.read_all`'s count. The reads stay in the chain.
 */
describe('Probe r53: a RED repatriation’s arrest notification read by KR’s liaison', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let version: number;
  let requestId: string;

  type Event = { action: string; recordType: string | null; recordId: string | null; details?: unknown };
  const now = async (): Promise<string> =>
    (await t.dataSource.query(`SELECT now() AS now`))[0].now.toISOString();
  const trailSince = async (since: string): Promise<Event[]> =>
    (await tf['kr.auditor'].get(`/audit-events?from=${encodeURIComponent(since)}&limit=200`).expect(200)).body
      .items as Event[];
  const exportSince = async (since: string): Promise<Event[]> =>
    (await tf['kr.auditor'].get(`/audit-events/export?from=${encodeURIComponent(since)}`).expect(200)).text
      .split('\n')
      .filter(Boolean)
      .map((l: string) => JSON.parse(l) as Event);
  const unreadAbout = async (recordId: string): Promise<string[]> =>
    (
      (await tf['kr.liaison'].get('/notifications?unreadOnly=true&limit=200').expect(200)).body
        .items as Array<{
        id: string;
        recordId: string;
      }>
    )
      .filter((n) => n.recordId === recordId)
      .map((n) => n.id);
  const correct = async (place: string) => {
    const body = (await tf['kh.officer'].patch(`/arrests/${arrestId}`, { version, place }).expect(200)).body;
    version = body.version;
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound, Building C',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: 'PARK R53', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    version = arrest.version;
    const draft = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'RED',
          subject: 'Repatriation of PARK R53',
          arrestIds: [arrestId],
        })
        .expect(201)
    ).body;
    requestId = draft.id;
    const submitted = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/repatriation-requests/${draft.id}/approve`, { version: submitted.version })
      .expect(200);
    // Everything of the set-up read: the liaison's inbox holds only what the test adds.
    await tf['kr.liaison'].post('/notifications/read-all').expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  it('the world: KR’s liaison reads the arrest; KR’s officer and auditor read neither it nor the request', async () => {
    await tf['kr.liaison'].get(`/arrests/${arrestId}`).expect(200);
    for (const who of ['kr.officer', 'kr.auditor'] as const) {
      await tf[who].get(`/arrests/${arrestId}`).expect(404);
      await tf[who].get(`/repatriation-requests/${requestId}`).expect(404);
    }
  });

  it('FINDING: one `notification.read` of the arrest’s correction is not in KR’s auditors’ list, timeline or export', async () => {
    const since = await now();
    await correct('Golden Fortune compound, Building D');
    const ids = await unreadAbout(arrestId);
    expect(ids).toHaveLength(1);
    await tf['kr.liaison'].post(`/notifications/${ids[0]}/read`).expect(204);
    const events = await trailSince(since);
    expect(events.filter((e) => e.action.startsWith('notification.'))).toEqual([]);
    expect((await exportSince(since)).filter((e) => e.action.startsWith('notification.'))).toEqual([]);
    const timeline = await tf['kr.auditor']
      .get(`/audit-events/timeline?recordType=notification&recordId=${ids[0]}`)
      .expect(200);
    expect(timeline.body.items).toEqual([]);
    // Kept in the chain.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'notification.read' AND record_id = $1`,
      [ids[0]],
    );
    expect(n).toBe(1);
  });

  it('FINDING: `notification.read_all` does not count the arrest’s correction', async () => {
    const since = await now();
    await correct('Golden Fortune compound, Building E');
    expect(await unreadAbout(arrestId)).toHaveLength(1);
    const marked = await tf['kr.liaison'].post('/notifications/read-all').expect(200);
    expect(marked.body).toEqual({ marked: 1 });
    const events = await trailSince(since);
    expect(events.filter((e) => e.action.startsWith('notification.'))).toEqual([]);
  });

  it('control: an arrest KR reads through an AMBER repatriation: its correction’s read is in the trail and counted', async () => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound, Building F',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: 'CHOI R53', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    const draft = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Repatriation of CHOI R53',
          arrestIds: [arrest.id],
        })
        .expect(201)
    ).body;
    const submitted = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/repatriation-requests/${draft.id}/approve`, { version: submitted.version })
      .expect(200);
    await tf['kr.auditor'].get(`/arrests/${arrest.id}`).expect(200);
    await tf['kr.liaison'].post('/notifications/read-all').expect(200);
    let v = arrest.version;
    const since = await now();
    for (const place of ['Building G', 'Building H'])
      v = (await tf['kh.officer'].patch(`/arrests/${arrest.id}`, { version: v, place }).expect(200)).body
        .version;
    const ids = await unreadAbout(arrest.id);
    expect(ids).toHaveLength(2);
    await tf['kr.liaison'].post(`/notifications/${ids[0]}/read`).expect(204);
    expect(await tf['kr.liaison'].post('/notifications/read-all').expect(200)).toMatchObject({
      body: { marked: 1 },
    });
    const events = (await trailSince(since)).filter((e) => e.action.startsWith('notification.'));
    expect(events.map((e) => [e.action, e.recordId, e.details ?? null]).sort()).toEqual(
      [
        ['notification.read', ids[0], null],
        ['notification.read_all', null, { count: 1 }],
      ].sort(),
    );
  });

  it('control: KR’s liaison reading an AMBER request’s notification is in the trail, and counted by read-all', async () => {
    const since = await now();
    const { id } = await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('AMBER').sent();
    const ids = await unreadAbout(id);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    await tf['kr.liaison'].post(`/notifications/${ids[0]}/read`).expect(204);
    await tf['kr.liaison'].post('/notifications/read-all');
    const events = await trailSince(since);
    expect(events.filter((e) => e.action === 'notification.read').map((e) => e.recordId)).toEqual([ids[0]]);
    if (ids.length > 1)
      expect(events.filter((e) => e.action === 'notification.read_all').map((e) => e.details)).toEqual([
        { count: ids.length - 1 },
      ]);
  });
});

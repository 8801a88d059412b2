import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r51 (probe r43's open point): `POST /notifications/:id/read` of one notification writes
 * `notification.read` with the notification's id. For a RED request KH sent KR, the notifications go
 * to KR's liaisons only, and KR's auditors read nothing of the request until KR takes a step on it,
 * nor ever what KH does on it (its messages). A `notification.read` in their trail for a notification
 * they cannot read, with no event explaining it, told them a RED request arrived (or KH wrote on one):
 * the same differential r43 closed for `notification.read_all`'s count, one read at a time.
 */
describe('Probe r51: a liaison’s read of a RED notification is not in the country’s auditors’ trail', () => {
  let t: TestApp;
  let tf: TaskForce;

  type Event = { action: string; recordType: string | null; recordId: string | null };
  const trailSince = async (since: string): Promise<Event[]> =>
    (await tf['kr.auditor'].get(`/audit-events?from=${encodeURIComponent(since)}&limit=200`).expect(200)).body
      .items as Event[];
  const now = async (): Promise<string> =>
    (await t.dataSource.query(`SELECT now() AS now`))[0].now.toISOString();
  const notificationsAbout = async (requestId: string): Promise<string[]> =>
    (
      (await tf['kr.liaison'].get('/notifications?unreadOnly=true&limit=100').expect(200)).body
        .items as Array<{
        id: string;
        recordId: string;
      }>
    )
      .filter((n) => n.recordId === requestId)
      .map((n) => n.id);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await tf['kr.liaison'].post('/notifications/read-all').expect(200);
  }, 90_000);
  afterAll(() => t?.close());

  it('FINDING: reading a RED request’s notification one at a time leaves no event KR’s auditors read', async () => {
    const since = await now();
    const { id } = await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('RED').sent();
    await tf['kh.officer'].post(`/information-requests/${id}/messages`, { body: 'Any news?' }).expect(201);
    const ids = await notificationsAbout(id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const n of ids) await tf['kr.liaison'].post(`/notifications/${n}/read`).expect(204);

    // The auditor reads the request as one that does not exist…
    await tf['kr.auditor'].get(`/information-requests/${id}`).expect(404);
    // …and, on main, one `notification.read` per notification, each a RED arrival or a KH message.
    const events = await trailSince(since);
    expect(events.filter((e) => ids.includes(e.recordId ?? ''))).toEqual([]);
    expect(events.filter((e) => e.action === 'notification.read')).toEqual([]);
    for (const n of ids) {
      const timeline = await tf['kr.auditor']
        .get(`/audit-events/timeline?recordType=notification&recordId=${n}`)
        .expect(200);
      expect(timeline.body.items).toEqual([]);
    }
    // The read itself is still kept in the chain (who acknowledged what, when).
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'notification.read' AND record_id = ANY($1)`,
      [ids],
    );
    expect(n).toBe(ids.length);
  });

  it('an AMBER request’s notification read is in the trail as before', async () => {
    const since = await now();
    const { id } = await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('AMBER').sent();
    const ids = await notificationsAbout(id);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    await tf['kr.liaison'].post(`/notifications/${ids[0]}/read`).expect(204);
    const events = await trailSince(since);
    expect(
      events.filter((e) => e.action === 'notification.read').map((e) => [e.recordType, e.recordId]),
    ).toEqual([['notification', ids[0]]]);
  });
});

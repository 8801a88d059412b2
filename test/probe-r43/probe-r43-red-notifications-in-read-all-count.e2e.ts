import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r43, finding 2: `POST /notifications/read-all` writes `notification.read_all` with the number
 * of notifications it marked, and a RED request's notifications (to the target's liaisons only) were
 * counted. KR's auditors read nothing of a RED request KH sent KR until KR takes a step on it, nor ever
 * what KH does on it (its messages, a withdrawal): but the liaison's count went up by one for each, so
 * the auditors learnt that a RED request arrived, and how many messages KH wrote on it, from a count
 * with nothing in their trail to explain it.
 */
describe('Probe r43: a liaison’s read-all does not count RED notifications for the country’s auditors', () => {
  let t: TestApp;
  let tf: TaskForce;

  type Event = { action: string; recordType: string | null; recordId: string | null; details: unknown };
  const trailSince = async (since: string): Promise<Event[]> =>
    (
      await tf['kr.auditor'].get(`/audit-events?from=${encodeURIComponent(since)}&limit=200`).expect(200)
    ).body.items as Event[];
  const now = async (): Promise<string> =>
    (await t.dataSource.query(`SELECT now() AS now`))[0].now.toISOString();

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await tf['kr.liaison'].post('/notifications/read-all').expect(200);
  }, 90_000);
  afterAll(() => t?.close());

  it('FINDING 2: KH’s RED request and its messages reach the liaison’s inbox; KR’s auditors read no count of them', async () => {
    const since = await now();
    const request = givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('RED')
      .with({ subject: 'Who holds this phone?' });
    const { id } = await request.sent();
    await tf['kh.officer'].post(`/information-requests/${id}/messages`, { body: 'Any news?' }).expect(201);
    await tf['kh.officer'].post(`/information-requests/${id}/messages`, { body: 'Urgent, please' }).expect(201);
    // The liaison, a named recipient, has them (and marks them read).
    const inbox = (await tf['kr.liaison'].get('/notifications?unreadOnly=true').expect(200)).body.items;
    expect(inbox.filter((n: { recordId: string }) => n.recordId === id).length).toBeGreaterThanOrEqual(3);
    const marked = (await tf['kr.liaison'].post('/notifications/read-all').expect(200)).body.marked;
    expect(marked).toBeGreaterThanOrEqual(3);

    // KR's auditor: nothing in the trail about the request (KH's steps and messages are not theirs)…
    const events = await trailSince(since);
    expect(events.filter((e) => JSON.stringify(e).includes(id))).toEqual([]);
    // …and on d30e410 `notification.read_all` with `details.count` = 3: a RED request and two messages.
    expect(
      events.filter((e) => e.action === 'notification.read_all').map((e) => e.details),
    ).toEqual([]);
  });

  it('an AMBER request’s notifications are counted as before, and only those', async () => {
    const since = await now();
    await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('RED').sent();
    await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('AMBER').sent();
    const marked = (await tf['kr.liaison'].post('/notifications/read-all').expect(200)).body.marked;
    expect(marked).toBe(2);
    const events = await trailSince(since);
    expect(
      events.filter((e) => e.action === 'notification.read_all').map((e) => e.details),
    ).toEqual([{ count: 1 }]);
  });
});

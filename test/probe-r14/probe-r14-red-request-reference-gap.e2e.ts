import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 14, oracles): a RED request sent to KR is read in KR only by its named recipients (its
 * liaisons and the officer it is assigned to, `requestScope`); `GET /stats` leaves it out of every other
 * user's figures on purpose ("an inbound RED request counts only for those who may read it",
 * `hiddenInboundRequests`). But its reference is drawn from the same gap-free series as every other
 * request of that origin, target and kind (`numberSentRequest`, `KH-KR-INF-2026-000002`), and every KR
 * officer reads the references of the requests before and after it: `…-000001` and `…-000003` tell
 * `kr.officer2` that a request it may not read was sent between them, when (between the two sendings),
 * and how many. Likewise the request's kind and its pair.
 * Fix: number a RED request in a series of its own (`KH-KR-INF-R-2026-…`, read only by those who read
 * RED requests of that pair), or give it a reference that counts nothing (a random one).
 */
describe('Probe r14: a RED request leaves a gap in the references every officer reads', () => {
  let t: TestApp;
  let tf: TaskForce;
  let red: { id: string; reference: string };
  let readable: string[];
  let redStatus: number;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const given = givenIn(tf);
    const request = (subject: string, code: string) =>
      given.anInformationRequest().from('KH').sentTo('KR').handledAs(code).with({ subject });
    await request('Call records of a compound', 'AMBER').sent();
    // The RED one goes to kr.officer; kr.officer2 is no recipient of it.
    const assigned = await request('Informant inside the compound', 'RED').assignedTo('kr.officer');
    red = { id: assigned.id, reference: String(assigned.reference) };
    await request('Bank accounts of the compound', 'AMBER').sent();
    redStatus = (await tf['kr.officer2'].get(`/information-requests/${red.id}`)).status;
    readable = (
      await tf['kr.officer2'].get('/information-requests?direction=inbound&counterpartCountry=KH').expect(200)
    ).body.items.map((r: { reference: string }) => r.reference);
  }, 120_000);
  afterAll(() => t?.close());

  it('kr.officer2 may not read the RED request (404) and lists the other two', () => {
    expect(redStatus).toBe(404);
    expect(readable).toHaveLength(2);
    expect(readable).not.toContain(red.reference);
  });

  it('and the references it reads do not count the RED one (no gap where it was numbered)', () => {
    const numbers = readable.map((r) => Number(r.slice(r.lastIndexOf('-') + 1))).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2]);
  });
});

import { now, trailSince } from '../probe-r36/r36-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { redRepatriationToKr } from '../probe-r38/r38-support';

/**
 * Probe r41, finding 1: a RED repatriation's person named by an arrest list's filter. KH arrests a KR
 * national and sends KR a RED repatriation request: only KR's liaisons read it and its person; KR's
 * auditors do not (probe r38 withheld the person from every consultation event). The liaison, looking
 * for the person's arrests, lists `GET /arrests?personId=<the person>`: the list's consultation event
 * (`arrest.list`) wrote the filters as typed, so KR's auditors read the person's id there — and with it
 * the timeline of the person, built on any event naming it.
 */
describe('Probe r41: an arrest list filtered by a RED request’s person does not name it to the reader’s auditors', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let arrestId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ personId, arrestId } = await redRepatriationToKr(tf, 'RED Listed'));
  }, 60_000);
  afterAll(() => t?.close());

  it('FINDING 1: KR’s auditors do not read the RED person’s id in the liaison’s arrest.list filters', async () => {
    // The world: KR's auditor may not read the person; the liaison may.
    await tf['kr.auditor'].get(`/persons/${personId}`).expect(404);
    await tf['kr.liaison'].get(`/persons/${personId}`).expect(200);
    const since = await now(t);
    const page = (await tf['kr.liaison'].get(`/arrests?personId=${personId}`).expect(200)).body;
    // (whatever the page shows: the event names what was typed)
    expect(Array.isArray(page.items)).toBe(true);
    // Typed in capitals, the same person.
    await tf['kr.liaison'].get(`/arrests?personId=${personId.toUpperCase()}`).expect(200);
    const trail = await trailSince(tf['kr.auditor'], since);
    const lists = trail.filter((e) => e.action === 'arrest.list');
    expect(lists).toHaveLength(2);
    expect(trail.filter((e) => JSON.stringify(e).toLowerCase().includes(personId))).toEqual([]);
    for (const list of lists)
      expect(list.details).toMatchObject({ filters: { personId: { rule: 'RED', withheld: true } } });
    // The same filter with an id the country may read is named as typed.
    const own = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'Plain KR Person', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const ownSince = await now(t);
    await tf['kr.liaison'].get(`/arrests?personId=${own.id}`).expect(200);
    const ownTrail = await trailSince(tf['kr.auditor'], ownSince);
    expect(ownTrail.find((e) => e.action === 'arrest.list')?.details).toMatchObject({
      filters: { personId: own.id },
    });
    expect(arrestId).toBeTruthy();
  });
});

import { naming, now, trailSince } from '../probe-r36/r36-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { redRepatriationToKr } from './r38-support';

/**
 * Probe r38, consultation events of a RED request: KH sends KR a RED repatriation of a KR national it
 * arrested. Only KR's liaisons (and an assigned officer) read it; KR's auditors read neither the request
 * nor its persons (README "What each role of each country sees"). A liaison's consultation is recorded
 * in KR's own trail: what it names must not tell KR's auditors what the RED request holds.
 */
describe('Probe r38: consulting a RED repatriation tells the reader’s auditors nothing of what it holds', () => {
  let t: TestApp;
  let tf: TaskForce;
  let requestId: string;
  let personId: string;
  let arrestId: string;
  let since: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ requestId, personId, arrestId } = await redRepatriationToKr(tf, 'RED Informant'));
  }, 60_000);
  afterAll(() => t?.close());

  it('the world: KR’s officer and auditor do not read the request or its person; its liaison does', async () => {
    await tf['kr.officer'].get(`/repatriation-requests/${requestId}`).expect(404);
    await tf['kr.auditor'].get(`/repatriation-requests/${requestId}`).expect(404);
    await tf['kr.auditor'].get(`/persons/${personId}`).expect(404);
    const view = (await tf['kr.liaison'].get(`/repatriation-requests/${requestId}`).expect(200)).body;
    expect(view.persons.map((p: { personId: string }) => p.personId)).toEqual([personId]);
  });

  it('KR’s auditors read the liaison’s consultations without the RED request’s person', async () => {
    since = await now(t);
    await tf['kr.liaison'].get(`/repatriation-requests/${requestId}`).expect(200);
    await tf['kr.liaison'].get(`/repatriation-requests`).expect(200);
    await tf['kr.liaison'].get(`/persons/${personId}`).expect(200);
    await tf['kr.liaison'].get(`/arrests/${arrestId}`).expect(200);
    await tf['kr.liaison'].get(`/persons?name=${encodeURIComponent('RED Informant')}`).expect(200);
    const trail = await trailSince(tf['kr.auditor'], since);
    // The reads are there (its own users' actions are KR's to oversee)…
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'repatriation.read',
        'repatriation.list',
        'person.read',
        'person.search',
        'arrest.read',
      ]),
    );
    // …but nothing in them names the person only RED's named recipients read.
    expect(trail.filter((e) => JSON.stringify(e).includes(personId))).toEqual([]);
    // Nor what was typed to find it: its name (probe r40).
    expect(trail.filter((e) => JSON.stringify(e).includes('RED Informant'))).toEqual([]);
    expect(trail.find((e) => e.action === 'person.search')?.details).toMatchObject({
      criteria: { rule: 'RED', withheld: true },
    });
    // Nor who gave it (the country the auditors are not told gave them a RED value, as release.refused).
    expect(naming(trail, 'KH').filter((e) => e.action.startsWith('person.'))).toEqual([]);
    // The timeline of the person, for an auditor who found its id elsewhere: nothing either.
    const timeline = (
      await tf['kr.auditor'].get(`/audit-events/timeline?recordType=person&recordId=${personId}`).expect(200)
    ).body;
    expect(JSON.stringify(timeline)).not.toContain('person.read');
  });

  it('KR’s auditors do not read a RED number typed into a search, whatever it showed', async () => {
    // KH asks KR under RED about a phone and a passport: KR holds both for the request's recipients only.
    const [redPhone, redPassport, plainPhone] = ['+85593300444', 'R93300444', '+85593300555'];
    await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('RED')
      .with({
        subject: 'Who holds these?',
        identifiers: { phones: [redPhone] },
        questions: [`Holder of passport ${redPassport}?`],
      })
      .sent();
    since = await now(t);
    const searches = [
      `phone=${encodeURIComponent(redPhone)}`,
      // The number typed nationally, into the name (a search that shows nobody).
      `name=${encodeURIComponent('093 300 444')}`,
      `document=${redPassport.toLowerCase()}`,
      `phone=${encodeURIComponent(plainPhone)}`,
    ];
    for (const query of searches) {
      const page = (await tf['kr.liaison'].get(`/persons?${query}`).expect(200)).body;
      expect(page.items).toEqual([]);
    }
    const trail = (await trailSince(tf['kr.auditor'], since)).filter((e) => e.action === 'person.search');
    expect(trail.map((e) => (e.details as { criteria: unknown }).criteria)).toEqual([
      { rule: 'RED', withheld: true },
      { rule: 'RED', withheld: true },
      { rule: 'RED', withheld: true },
      { phone: plainPhone },
    ]);
    expect(trail.filter((e) => /93300444|300 444/.test(JSON.stringify(e)))).toEqual([]);

    // The same number typed into a request list's `q`: the list's consultation event withholds its filters.
    const listedSince = await now(t);
    for (const q of [redPhone, plainPhone])
      await tf['kr.liaison'].get(`/repatriation-requests?q=${encodeURIComponent(q)}`).expect(200);
    const lists = (await trailSince(tf['kr.auditor'], listedSince)).filter(
      (e) => e.action === 'repatriation.list',
    );
    expect(lists.map((e) => (e.details as { filters: unknown }).filters)).toEqual([
      { rule: 'RED', withheld: true },
      { q: plainPhone },
    ]);
  });
});

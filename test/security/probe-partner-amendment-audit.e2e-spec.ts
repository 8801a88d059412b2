import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (partner): KH owns a person and shares it (case share, CLEAR) with KR. KR proposes the person
 * for MY's blacklist (KR–MY MOU); MY activates the entry. KH is not a party to that proposal and must
 * never learn of it. KH then edits its own person: the blacklist engine writes a
 * `blacklist.entry.amendment.propose` event about MY's entry with the KH editor as the actor, and
 * `auditEventScope` lets every auditor read events whose actor is of their country.
 */
describe('Probe (partner): an owner’s edit does not show its auditors another pair’s blacklist entry', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let entryId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const [{ id: koreaMalaysia }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
    const person = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Probe', script: 'latin', kind: 'primary' }],
          birthDate: '1988',
          nationalities: ['KH'],
        })
        .expect(201)
    ).body;
    personId = person.id;
    const kase = (
      await tf['kh.officer']
        .post('/cases', { title: 'KH case shared with KR', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kh.liaison']
      .post(`/cases/${kase.id}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
      .expect(201);

    // KR proposes the KH person for MY's blacklist; MY activates the entry. KH takes no part.
    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries', {
          frameworkId: koreaMalaysia,
          banningCountry: 'MY',
          entry: { personId, grounds: 'Recruiter for a compound.', groundsSummary: 'Recruiter' },
        })
        .expect(201)
    ).body;
    let version = proposal.version;
    for (const [who, action] of [
      [tf['kr.officer'], 'submit'],
      [tf['kr.liaison'], 'approve'],
      [tf['my.liaison'], 'accept'],
    ] as const)
      version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200))
        .body.version;
    entryId = proposal.entries[0].id;
    await tf['my.liaison']
      .post(`/blacklist-entries/${entryId}/activate`, {
        version: 1,
        legalBasis: 'Immigration Act s. 9',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    // Control: KH cannot read the entry or the proposal.
    await tf['kh.officer'].get(`/blacklist-entries/${entryId}`).expect(404);
    await tf['kh.officer'].get(`/blacklist-proposals/${proposal.id}`).expect(404);

    // KH, the owner, corrects the person's date of birth.
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: 'SOK Probe', script: 'latin', kind: 'primary' }],
        birthDate: '1988-06-02',
        nationalities: ['KH'],
      })
      .expect(200);
  }, 180_000);
  afterAll(() => t?.close());

  it('KH’s auditor reads no event about MY’s blacklist entry (list, filter, timeline, export)', async () => {
    // KH's own refused look-ups above (access.denied, owner withheld) and its auditor's own reads are by design.
    type Event = {
      action: string;
      recordId: string;
      ownerCountry: string | null;
      counterpartCountry: string | null;
    };
    const aboutEntry = (items: Event[]) =>
      items
        .filter((e) => e.recordId === entryId && e.action !== 'access.denied' && e.action !== 'audit.read')
        .map((e) => `${e.action} owner=${e.ownerCountry} counterpart=${e.counterpartCountry}`);
    const list = (await tf['kh.auditor'].get('/audit-events?limit=200').expect(200)).body.items as Event[];
    const timeline = (
      await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=blacklist_entry&recordId=${entryId}`)
        .expect(200)
    ).body.items as Event[];
    const exported = (await tf['kh.auditor'].get('/audit-events/export').expect(200)).text
      .split('\n')
      .filter(Boolean)
      .map((line: string) => JSON.parse(line) as Event);
    expect({
      list: aboutEntry(list),
      timeline: aboutEntry(timeline),
      exported: aboutEntry(exported),
    }).toEqual({
      list: [],
      timeline: [],
      exported: [],
    });
  });
});

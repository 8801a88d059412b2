import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 13): a consent to pass a person on covers numbers the originator adds to it afterwards.
 * KH records a person (no documents) and shares it with KR in a case under AMBER. KR asks KH's consent
 * to pass the person on to Malaysia (`/release-requests`, `personIds`); KH's liaison reads the person as
 * it stands and accepts: the grant is recorded (`release_grant`, person-level). KH then adds a passport
 * number to the person; the edit reaches KR under the case share's AMBER (`identifier_provenance`).
 * KR shares a case of its own holding the person with MY: the new number goes to MY. It was never
 * consented to — it did not exist when KH's liaison consented — yet src/sharing/release.service.ts
 * `receiptsOnPerson` lets a person-level grant count for every number the person carries from its
 * owner (`granted: r.granted || h.granted`), whenever it was received, and `release_grant` records no
 * time to compare with. AMBER data goes to a third country with no consent for it.
 * Fix: record when a grant was given (or the receipts it covered) and let a person-level grant count
 * only for receipts that reached the holder before it; a later number needs consent of its own.
 */
describe('Probe r13: a release consent covers a number the originator added after consenting', () => {
  let t: TestApp;
  let tf: TaskForce;
  let granted: unknown;
  let krReads: string[];
  let myReads: string[];
  const numbers = (person: { documents?: Array<{ number: string }> }) =>
    (person.documents ?? []).map((d) => d.number);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const names = [{ full: 'CHEA Consented', script: 'latin', kind: 'primary' }];
    const person = (await tf['kh.officer'].post('/persons', { names, nationalities: ['KH'] }).expect(201))
      .body;
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: 'Kampot call centre', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kh.liaison']
      .post(`/cases/${khCase.id}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    const consent = await givenIn(tf)
      .aRequest('release')
      .from('KR')
      .sentTo('KH')
      .with({ recipientCountry: 'MY', personIds: [person.id], subject: 'May we pass CHEA on to Malaysia?' })
      .accepted();
    granted = consent.granted;

    const current = (await tf['kh.officer'].get(`/persons/${person.id}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${person.id}`, {
        version: current.version,
        names,
        nationalities: ['KH'],
        documents: [{ type: 'passport', number: 'N7001007', issuingCountry: 'KH' }],
      })
      .expect(200);
    krReads = numbers((await tf['kr.officer'].get(`/persons/${person.id}`).expect(200)).body);

    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR follow-up', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    // Today 201; refusing the share (409 on the number) would keep the promise as well.
    await tf['kr.liaison'].post(`/cases/${krCase.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' });
    const read = await tf['my.officer'].get(`/persons/${person.id}`);
    myReads = read.status === 200 ? numbers(read.body) : [];
  }, 120_000);
  afterAll(() => t?.close());

  it('KH consented to pass the person on, and later gave KR a passport number under AMBER', () => {
    expect(granted).toBe(true);
    expect(krReads).toEqual(['N7001007']);
  });

  it('the number KH added after its consent does not reach Malaysia', () => {
    expect(myReads).not.toContain('N7001007');
  });
});

import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 5): `GET /identifiers/seen-in` orders another country's person by the time the owner
 * wrote the number into it, even when the owner did so while the partner could not read the person (a
 * share revoked, then made again). KH shares a case with its person with KR and revokes the share; KH
 * adds a phone to the person (KR: 404); KR then records a person of its own with the same phone; KH
 * shares the case again. For KR the KH person carries the phone from the new share — after KR's own
 * record — so it should list first ("most recently indexed first, as the caller reads each record:
 * another country's carries the identifier no earlier than when it reached the caller's country").
 * It lists second: `indexedAsRead` (src/access/scopes.ts) floors the row's `indexed_at` at
 * `personSeenSince(actor)` with the default `'min'` (the first share), so KR's own records, indexed at
 * times KR knows, bracket when KH edited the person during the gap (a sorting oracle; round 4 fixed the
 * person's `updatedAt` with the last arrival, not this order).
 * Fix: src/access/scopes.ts `indexedAsRead` ('person'): a number indexed while no link brought the
 * person to the reader reads no earlier than the arrival that brought it back (`personSeenSince(…,
 * 'max')`, or the first arrival after `indexed_at`).
 */
describe('Probe r5: seen-in orders a number added while a share was revoked by the owner’s edit time', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khPerson: string;
  let krPerson: string;
  let order: string[];
  const phone = '+85512398701';
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khPerson = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'VANN Gapphone', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
        })
        .expect(201)
    ).body.id;
    const caseId = (
      await tf['kh.officer']
        .post('/cases', { title: 'Phone in the gap', persons: [{ personId: khPerson, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
      .expect(201);
    await tf['kh.liaison']
      .delete(`/cases/${caseId}/shares/KR`)
      .expect((res) => expect(res.status).toBeLessThan(300));
    await tf['kr.officer'].get(`/persons/${khPerson}`).expect(404);

    // While KR reads nothing of the person, KH adds the phone.
    await pause();
    const person = (await tf['kh.officer'].get(`/persons/${khPerson}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${khPerson}`, {
        version: person.version,
        names: person.names,
        nationalities: person.nationalities,
        phones: [phone],
      })
      .expect(200);
    await pause();
    // Then KR records a person of its own with that phone.
    krPerson = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'KIM Samephone', script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body.id;
    await pause();
    // And KH shares the case again: from now on KR reads the phone in KH's person.
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
      .expect(201);
    const seen = (
      await tf['kr.officer']
        .get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`)
        .expect(200)
    ).body;
    order = (seen.items as Array<{ recordId: string }>).map((i) => i.recordId);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the phone in both persons', () => {
    expect([...order].sort()).toEqual([khPerson, krPerson].sort());
  });

  it('and the KH person, which reached KR with the phone after KR recorded its own, lists first', () => {
    expect(order).toEqual([khPerson, krPerson]);
  });
});

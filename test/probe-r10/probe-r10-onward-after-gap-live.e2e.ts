import { khCaseSharedWithKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface PersonBody {
  names: Array<{ full: string }>;
  phones: string[];
  documents: Array<{ number: string }>;
}

/**
 * Probe (round 10): a country that keeps a copy of another country's person (its link gone) passes the
 * person on to a third country, which then reads the owner's LIVE person — edits the owner made after
 * the first country's link ended, which neither country was ever given. KH shares a case holding its
 * person P with KR (CLEAR, passed on freely); KR links P into a case of its own; KH revokes the share
 * and edits P (new name, a second phone, a passport). KR reads its kept copy (correct). KR then shares
 * its own case with MY (`POST /cases/:id/shares { countryCode: 'MY', handlingCode: 'CLEAR' }`). MY's
 * `GET /persons/P`, `GET /persons?phone=` / `?document=` and `GET /identifiers/seen-in` show and confirm
 * KH's post-revocation name, phone and passport. README: an onward recipient "reads what the country
 * that passed it on released"; KR released its copy. MY has no copy (onward copies are taken only at
 * the owner's next edit, `keepForEndedCooperation`), so every read of it is live.
 * Fault: src/sharing/release.service.ts (the release of a person the holder keeps a copy of records no
 * copy for the recipient: the `recordProvenance` branch only drops copies when the holder is the
 * originator), with src/sharing/provenance.store.ts `holdings` weighing the live person's numbers.
 */
describe('Probe r10: a kept copy passed on shows the third country the owner’s edits made after the link ended', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let krReads: PersonBody;
  let myReads: PersonBody;
  let byPhone: unknown[];
  let byDocument: unknown[];
  let byName: PersonBody[];
  let seenIn: Array<{ recordId: string }>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseId: string;
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Before', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000100'],
      },
      'KH case shared with KR',
      'CLEAR',
    ));
    const krCaseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: 'SOK Renamedafter', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000100', '+85512000777'],
        documents: [{ type: 'passport', number: 'N9990001', issuingCountry: 'KH' }],
      })
      .expect(200);
    krReads = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;

    await tf['kr.liaison']
      .post(`/cases/${krCaseId}/shares`, { countryCode: 'MY', handlingCode: 'CLEAR' })
      .expect(201);
    const my = tf['my.officer'];
    myReads = (await my.get(`/persons/${personId}`).expect(200)).body;
    byPhone = (await my.get(`/persons?phone=${encodeURIComponent('+85512000777')}`).expect(200)).body.items;
    byDocument = (await my.get('/persons?document=N9990001').expect(200)).body.items;
    byName = (await my.get('/persons?name=Renamedafter').expect(200)).body.items;
    seenIn = (
      await my.get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent('+85512000777')}`).expect(200)
    ).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR itself reads the person as it received it (its kept copy)', () => {
    expect(krReads.names.map((n) => n.full)).toEqual(['SOK Before']);
    expect(krReads.phones).toEqual(['+85512000100']);
  });

  it('MY reads what KR passed on, not the name, phone and passport KH gave the person after KR’s link ended', () => {
    expect(myReads.names.map((n) => n.full)).toEqual(['SOK Before']);
    expect(myReads.phones).toEqual(['+85512000100']);
    expect(myReads.documents).toEqual([]);
  });

  it('MY’s person search finds nothing by the later name, phone or passport', () => {
    expect(byPhone).toEqual([]);
    expect(byDocument).toEqual([]);
    expect(JSON.stringify(byName)).not.toContain('Renamedafter');
  });

  it('seen-in does not confirm to MY the phone KH added after KR’s link ended', () => {
    expect(seenIn.map((i) => i.recordId)).not.toContain(personId);
  });
});

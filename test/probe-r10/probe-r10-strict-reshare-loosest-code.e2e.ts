import { khCaseSharedWithKr, khEditsPerson } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 10): a phone the owner added while the recipient kept a copy, and then gave it only
 * under AMBER+STRICT, travels on under the CLEAR code of the share that was revoked. KH shares case A
 * holding its person P with KR under CLEAR; KR links P into a case of its own; KH revokes A (KR keeps
 * its copy) and adds the phone +85512000888 to P. KH then gives P to KR again, but only under
 * AMBER+STRICT (case B, `POST /cases/B/shares { handlingCode: 'AMBER+STRICT' }`): KR now reads the live
 * person with the new phone — received under AMBER+STRICT only ("never" passed on). KR shares its own
 * case with MY (CLEAR): the share is allowed and MY reads the AMBER+STRICT phone
 * (`GET /persons/P`, `GET /identifiers/seen-in`). The release rule takes the loosest code KR ever
 * received P under — the CLEAR of the revoked share, which carried only the person as KR kept it — for
 * the whole live person. What a revoked share gave stays given; what came after it came under
 * AMBER+STRICT.
 * Fault: src/sharing/provenance.store.ts `holdings` (`codes`: every receipt of the person, the revoked
 * share's included, for the live person's numbers) with src/sharing/release.service.ts `release`
 * (`carried`: the live person's numbers go under the loosest code).
 */
describe('Probe r10: a phone given only under AMBER+STRICT after a gap goes on under the revoked share’s CLEAR', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  const strictPhone = '+85512000888';
  let krReads: { phones: string[] };
  let myPhones: string[];
  let seenIn: Array<{ recordId: string }>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseA: string;
    ({ personId, caseId: caseA } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Strictlater', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000800'],
      },
      'Case A, CLEAR',
      'CLEAR',
    ));
    const krCaseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison'].delete(`/cases/${caseA}/shares/KR`).expect(200);
    await khEditsPerson(tf, personId, { phones: ['+85512000800', strictPhone] });
    const caseB = (
      await tf['kh.officer']
        .post('/cases', { title: 'Case B, AMBER+STRICT', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison']
      .post(`/cases/${caseB}/shares`, { countryCode: 'KR', handlingCode: 'AMBER+STRICT' })
      .expect(201);
    krReads = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;

    await tf['kr.liaison'].post(`/cases/${krCaseId}/shares`, {
      countryCode: 'MY',
      handlingCode: 'CLEAR',
    });
    const my = await tf['my.officer'].get(`/persons/${personId}`);
    myPhones = my.status === 200 ? my.body.phones : [];
    seenIn = (
      await tf['my.officer']
        .get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(strictPhone)}`)
        .expect(200)
    ).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the phone, given to it under AMBER+STRICT', () => {
    expect(krReads.phones).toContain(strictPhone);
  });

  it('the phone does not reach MY: refused, or at least not carried', () => {
    expect(myPhones).not.toContain(strictPhone);
    expect(seenIn.map((i) => i.recordId)).not.toContain(personId);
  });
});

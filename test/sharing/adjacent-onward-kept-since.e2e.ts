import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * An onward recipient — MY, which reads KR's person only because KH passed it on in a case of its own —
 * keeps a copy, taken silently at KR's first edit after MY got it (`keepForEndedCooperation`). The view
 * showed that copy's `keptSince`: the time KR edited its person, a piece of KR's timeline MY has no
 * business reading (and, polled, the moment it changed). MY reads the person exactly as before the
 * edit; the direct recipient whose own cooperation ended is still told (test/sharing/ended-cooperation).
 */
describe('An onward recipient does not read when the owner edited', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  beforeAll(async () => {
    // The whole demo: KH and MY share the multilateral body.
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'KANG Onward', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          documents: [{ type: 'passport', number: 'M55012340', issuingCountry: 'KR' }],
        })
        .expect(201)
    ).body.id;
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kr.liaison']
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'KH', handlingCode: 'CLEAR' })
      .expect(201);
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: 'KH case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kh.liaison']
      .post(`/cases/${khCase.id}/shares`, { countryCode: 'MY', handlingCode: 'GREEN' })
      .expect(201);
  }, 120_000);
  afterAll(() => t?.close());

  it('MY reads the same person, with the same fields, before and after KR’s edit', async () => {
    const before = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    const current = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kr.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: 'KANG Onward', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
        documents: [{ type: 'passport', number: 'M55012340', issuingCountry: 'KR' }],
        notes: 'edited after KH passed the person on',
      })
      .expect(200);
    const [copy] = await t.dataSource.query(
      `SELECT kept_since FROM person_kept_copy WHERE person_id = $1 AND country_code = 'MY'`,
      [personId],
    );
    // The copy is there (MY does not read KR's edit), but nothing of it shows. (`anything`, not `any(Date)`:
    // the app's pg driver makes its dates in the worker's realm, not this spec file's.)
    expect(copy).toEqual({ kept_since: expect.anything() });
    const after = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(after).toEqual(before);
    expect(after.keptSince).toBeNull();
    // Nor through its search, which reads the same view.
    const found = (await tf['my.officer'].get('/persons?document=M55012340').expect(200)).body.items;
    expect(found).toEqual([before]);
  });
});

import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: the numbers a partner reads count only what went to it. KR sends MY two information
 * requests and shares two cases with it, then sends KH one request and shares one case. KH reads
 * `KR-KH-INF-…-000001` and `KR-KH-CASE-…-000001` and nothing of KR's own case numbering
 * (`KR-CASE-…-000003`, which counts every KR case); MY reads 1 and 2 of its own series. So the numbers
 * tell no third country how much KR sends elsewhere, nor how many cases KR keeps.
 */
describe('Probe r25: references a partner reads are numbered per pair', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 60_000);
  afterAll(() => t?.close());

  const aCaseSharedWith = async (country: string, title: string) => {
    const kase = (await tf['kr.officer'].post('/cases', { title }).expect(201)).body;
    const share = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: country });
    expect(share.status).toBe(201);
    return kase as { id: string; reference: string };
  };

  it('gives KH the first number of the KR–KH series, whatever KR sent MY', async () => {
    const given = givenIn(tf);
    const toMy = [
      await given.anInformationRequest().from('KR').sentTo('MY').sent(),
      await given.anInformationRequest().from('KR').sentTo('MY').sent(),
    ];
    const casesMy = [await aCaseSharedWith('MY', 'KR–MY one'), await aCaseSharedWith('MY', 'KR–MY two')];
    const toKh = await given.anInformationRequest().from('KR').sentTo('KH').sent();
    const caseKh = await aCaseSharedWith('KH', 'KR–KH one');
    expect(caseKh.reference).toMatch(/^KR-CASE-\d{4}-000003$/);

    const khRequest = (await tf['kh.officer'].get(`/information-requests/${toKh.id}`).expect(200)).body;
    expect(khRequest.reference).toMatch(/^KR-KH-INF-\d{4}-000001$/);
    const khCase = (await tf['kh.officer'].get(`/cases/${caseKh.id}`).expect(200)).body;
    expect(khCase.reference).toMatch(/^KR-KH-CASE-\d{4}-000001$/);
    const khReads = [khRequest, khCase];
    for (const path of ['/cases', '/information-requests', '/notifications', '/stats'])
      khReads.push((await tf['kh.liaison'].get(path).expect(200)).body);
    for (const body of khReads) expect(JSON.stringify(body)).not.toMatch(/KR-CASE-|KR-MY-|-00000[23]\b/);

    for (const [i, r] of toMy.entries()) {
      const my = (await tf['my.officer'].get(`/information-requests/${r.id}`).expect(200)).body;
      expect(my.reference).toMatch(new RegExp(`^KR-MY-INF-\\d{4}-00000${i + 1}$`));
    }
    for (const [i, c] of casesMy.entries()) {
      const my = (await tf['my.officer'].get(`/cases/${c.id}`).expect(200)).body;
      expect(my.reference).toMatch(new RegExp(`^KR-MY-CASE-\\d{4}-00000${i + 1}$`));
    }
  });
});

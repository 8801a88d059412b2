import { khCaseSharedWithKr, khEditsPerson } from '../sharing/support';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * "Seen in" for a country that keeps a copy of another country's person answers from the copy, both
 * ways (probe r10): KH revokes its share with KR, then swaps P's phone (removes A, adds B). KR still
 * sees P for A and not for B; KH, the owner, sees its person as it is now. When KH shares the case
 * again, KR's copy goes and KR reads P live: B, not A.
 */
describe('Seen in, from a kept copy', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  const a = '+85512000551';
  const b = '+85512000552';
  const seenIn = async (who: SignedIn, phone: string) =>
    (
      (await who.get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`).expect(200)).body
        .items as Array<{ recordType: string; recordId: string }>
    )
      .filter((i) => i.recordType === 'person')
      .map((i) => i.recordId);
  const during: Record<string, string[]> = {};
  const after: Record<string, string[]> = {};

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseId: string;
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Swapped', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: [a],
      },
      'KH case shared with KR',
      'CLEAR',
    ));
    await tf['kr.officer']
      .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
      .expect(201);
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await khEditsPerson(tf, personId, { phones: [b] });
    during.krA = await seenIn(tf['kr.officer'], a);
    during.krB = await seenIn(tf['kr.officer'], b);
    during.khA = await seenIn(tf['kh.officer'], a);
    during.khB = await seenIn(tf['kh.officer'], b);
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
      .expect(201);
    after.krA = await seenIn(tf['kr.officer'], a);
    after.krB = await seenIn(tf['kr.officer'], b);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR sees the person for the number its copy holds, not for the one the owner added since', () => {
    expect(during.krA).toEqual([personId]);
    expect(during.krB).toEqual([]);
  });

  it('KH, the owner, sees its person as it is now', () => {
    expect(during.khA).toEqual([]);
    expect(during.khB).toEqual([personId]);
  });

  it('shared again, KR reads the live person: its copy’s numbers go with the copy', () => {
    expect(after.krA).toEqual([]);
    expect(after.krB).toEqual([personId]);
  });
});

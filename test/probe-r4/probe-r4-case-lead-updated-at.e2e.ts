import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 4): `updatedAt` of a received case tells the partner of the owner's hidden activity.
 * KH shares a case with KR. The case view hides the owner's lead officer from KR (`leadOfficerId: null`:
 * "a partner reading a shared case learns no user id of another country") and its `version` (null: "how
 * often it edited it is its own"). KH then only reassigns the lead officer (`PATCH /cases/:id
 * { leadOfficerId }`): nothing KR reads changes, yet KR's `updatedAt` moves to the time of that change,
 * so KR learns when KH reassigned (or otherwise touched) the case although every field it reads is the
 * same. Polling it gives KR a timeline of KH's internal case management.
 * Fix: src/cases/cases.service.ts `view` / src/cases/dto/case.dto.ts `caseViewTimes`: for another country,
 * `updatedAt` should be the later of `seenSince` and the owner's last change of a field that country
 * reads (title, summary, status, tags, persons…), not the row's `updated_at` (bumped by `repo.update`
 * for any column, `leadOfficerId` included); e.g. keep a `shared_content_updated_at` written only when a
 * shared field changes.
 */
describe('Probe r4: a lead-officer change the partner cannot see moves the shared case’s updatedAt', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let before: Record<string, unknown>;
  let after: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const kase = (
      await tf['kh.officer']
        .post('/cases', {
          title: 'Compound recruiters',
          summary: 'Recruiting through job ads',
          tags: ['ads'],
        })
        .expect(201)
    ).body;
    caseId = kase.id;
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    before = (await tf['kr.officer'].get(`/cases/${caseId}`).expect(200)).body;
    // A moment later KH only reassigns the case's lead officer, a field KR never reads.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const owned = (await tf['kh.officer'].get(`/cases/${caseId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/cases/${caseId}`, { version: owned.version, leadOfficerId: await tf.userId('kh.officer2') })
      .expect(200);
    after = (await tf['kr.officer'].get(`/cases/${caseId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the same case before and after (the lead officer is hidden from it)', () => {
    const { updatedAt: _b, ...restBefore } = before;
    const { updatedAt: _a, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);
    expect(after.leadOfficerId).toBeNull();
    expect(after.version).toBeNull();
  });

  it('nor does its updatedAt move: KR is not told when KH managed the case internally', () => {
    expect(after.updatedAt).toBe(before.updatedAt);
  });
});

import { aPdf, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: file bytes are stored once under their SHA-256, whoever uploads them. KR files a PDF on a
 * case of its own, shared with nobody. KH uploading the very same bytes — on a case of its own, and on
 * one it shared with MY, where the release rule weighs them — gets what it gets for bytes nobody holds:
 * the same status and the same answer, bar the id, hash, name and times. Neither the store's
 * deduplication nor the release rule counts KR's copy as something KH holds or received.
 */
describe('Probe r25: bytes KR holds upload for KH as bytes nobody holds', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  }, 60_000);
  afterAll(() => t?.close());

  const aCase = async (who: 'kr.officer' | 'kh.officer', title: string) =>
    (await tf[who].post('/cases', { title }).expect(201)).body.id as string;
  const VARYING = ['id', 'sha256', 'filename', 'createdAt', 'uploadedAt', 'parentId', 'caseId'];
  const shape = (res: { status: number; body: Record<string, unknown> }) => ({
    status: res.status,
    body: JSON.parse(JSON.stringify(res.body, (k, v) => (VARYING.includes(k) ? typeof v : v))),
  });

  it('answers KH alike for KR’s bytes and for fresh ones, on a case of its own and a shared one', async () => {
    const held = aPdf(4096, 'r25-held-by-kr');
    const krCase = await aCase('kr.officer', 'KR evidence r25');
    await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, held, 'ledger.pdf').expect(201);

    const khOwn = await aCase('kh.officer', 'KH evidence r25');
    const khShared = await aCase('kh.officer', 'KH shared evidence r25');
    await tf['kh.liaison'].post(`/cases/${khShared}/shares`, { countryCode: 'MY' }).expect(201);
    for (const caseId of [khOwn, khShared]) {
      const fresh = aPdf(4096, `r25-fresh-${caseId.slice(0, 6)}`);
      const ofHeld = await upload(t, tf['kh.officer'], `/cases/${caseId}/attachments`, held, 'a.pdf');
      const ofFresh = await upload(t, tf['kh.officer'], `/cases/${caseId}/attachments`, fresh, 'b.pdf');
      expect(ofHeld.status).toBe(201);
      expect(shape(ofHeld)).toEqual(shape(ofFresh));
    }
  });
});

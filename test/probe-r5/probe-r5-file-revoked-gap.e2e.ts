import { aPdf, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 5): a file the owner attached while the partner could not read the record shows, once the
 * record is shared again, with the time it was attached. KH shares a case (with its person) with KR,
 * revokes the share (KR: 404 on case and person), attaches a report to the case and a photo to the
 * person, withdraws a file KR had seen, and shares the case again. KR reads both new files with
 * `uploadedAt` = the moment KH attached them during the gap, and the withdrawn one with `withdrawnAt` =
 * the moment KH withdrew it during the gap — the round-4 class (an edit made while a share was revoked reads as of the new share)
 * for files. Round 4 fixed the case's and person's own `updatedAt`, and a file filed *and withdrawn or
 * replaced* in the gap never shows (`attachmentDraftedAwaySql`), but a file filed in the gap and still
 * current is floored only at the record's *first* arrival: `selectAs` in
 * src/attachments/attachments.store.ts reads `GREATEST(a.uploaded_at, caseSeenSince(actor))` /
 * `GREATEST(a.uploaded_at, personSeenSince(actor))` (the first share, `'min'`).
 * Fix: src/attachments/attachments.store.ts `selectAs`: a file on another country's case or person filed
 * while no share brought the record to the reader reads no earlier than the share (arrival) that brought
 * it back — for a case the current share's `shared_at` as `caseViewTimes` does, for a person the last
 * arrival after the upload as `toPersonView` does; the list's order and cursor (`uploadedAt`) with it;
 * likewise `withdrawnAt` of a withdrawal made in the gap.
 */
describe('Probe r5: files attached while a share was revoked show their times after re-sharing', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let personId: string;
  let gapUpload: { uploadedAt: string };
  let gapCaseUpload: { uploadedAt: string };
  let gapWithdrawal: { withdrawnAt: string };
  let reSharedAt: string;
  let personFiles: Array<{ filename: string; uploadedAt: string }>;
  let caseFiles: Array<{ filename: string; uploadedAt: string; withdrawnAt: string | null }>;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'PHAN Gapfile', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
        })
        .expect(201)
    ).body.id;
    caseId = (
      await tf['kh.officer']
        .post('/cases', { title: 'Filed in the gap', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    const seen = (
      await upload(
        t,
        tf['kh.officer'],
        `/cases/${caseId}/attachments`,
        aPdf(3_000, 'seen'),
        'seen.pdf',
      ).expect(201)
    ).body;
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    expect((await tf['kr.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items).toHaveLength(
      1,
    );
    await tf['kh.liaison']
      .delete(`/cases/${caseId}/shares/KR`)
      .expect((res) => expect(res.status).toBeLessThan(300));
    await tf['kr.officer'].get(`/persons/${personId}`).expect(404);

    // While KR reads nothing of them, KH files a photo on the person and a report on the case.
    await pause();
    gapUpload = (
      await upload(
        t,
        tf['kh.officer'],
        `/persons/${personId}/attachments`,
        aPdf(3_000, 'gap-photo'),
        'photo.pdf',
      ).expect(201)
    ).body;
    gapCaseUpload = (
      await upload(
        t,
        tf['kh.officer'],
        `/cases/${caseId}/attachments`,
        aPdf(3_000, 'gap-report'),
        'report.pdf',
      ).expect(201)
    ).body;
    gapWithdrawal = (
      await tf['kh.officer'].post(`/attachments/${seen.id}/withdraw`, { reason: 'Wrong suspect' }).expect(200)
    ).body;
    await pause();

    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    const again = (await tf['kh.officer'].get(`/cases/${caseId}`).expect(200)).body;
    reSharedAt = again.sharedWith.find((s: { countryCode: string }) => s.countryCode === 'KR').sharedAt;
    personFiles = (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items;
    caseFiles = (await tf['kr.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads both files once the case is shared again', () => {
    expect(personFiles.map((f) => f.filename)).toEqual(['photo.pdf']);
    expect(caseFiles.map((f) => f.filename).sort()).toEqual(['report.pdf', 'seen.pdf']);
  });

  it('the case file filed in the gap reads as uploaded no earlier than the new share, not when KH filed it', () => {
    const report = caseFiles.find((f) => f.filename === 'report.pdf')!;
    expect(report.uploadedAt).not.toBe(gapCaseUpload.uploadedAt);
    expect(Date.parse(report.uploadedAt)).toBeGreaterThanOrEqual(Date.parse(reSharedAt));
  });

  it('nor does the person’s file read as uploaded when KH filed it during the gap', () => {
    expect(personFiles[0]!.uploadedAt).not.toBe(gapUpload.uploadedAt);
    expect(Date.parse(personFiles[0]!.uploadedAt)).toBeGreaterThanOrEqual(Date.parse(reSharedAt));
  });

  it('nor does the file KR had seen read as withdrawn when KH withdrew it during the gap', () => {
    const withdrawn = caseFiles.find((f) => f.filename === 'seen.pdf')!;
    expect(withdrawn.withdrawnAt).not.toBe(gapWithdrawal.withdrawnAt);
    expect(Date.parse(withdrawn.withdrawnAt!)).toBeGreaterThanOrEqual(Date.parse(reSharedAt));
  });
});

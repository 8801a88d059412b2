import { aPdf, upload } from '../attachments/attachment-support';
import { khCaseSharedWithKr, khEditsPerson } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 10): a release refusal tells the former recipient of a file the owner filed after its
 * link ended. KH shares a case holding its person P (no files) with KR (CLEAR); KR links P into a case of
 * its own; KH revokes the share, edits P (KR's copy is taken) and files a photo on P. KR does not list the photo (its kept copy,
 * correct). KR then shares its own case with MY (`POST /cases/:id/shares`, CLEAR, allowed for P): the
 * share is refused 409 `release-refused` with `errors: [{ field: 'attachments', message: 'a file (sha256
 * 98e9…) came from another country and may not go to MY' }]` — KR learns that KH filed something on P
 * after KR's link was gone, and the start of its hash (a guessed file can be confirmed). Without the
 * later file the same share answers 201. What KR passes on is what it kept: the file is not KR's to be
 * refused, nor to learn of ("Only bytes the holder's country received count", `foreignFiles`).
 * Fault: src/sharing/release.service.ts `release` → `releaseFiles(ctx, this.store.filesOf({ personIds }))`
 * weighs every file on the live person, and src/sharing/provenance.store.ts `foreignFiles` counts a
 * file on a record the holder "reads" by `attachmentParentSql`, without `notAfterKeptCopy`
 * (src/attachments/attachments.store.ts), so a file after the holder's kept copy counts as received.
 */
describe('Probe r10: refusing to pass a kept person on names a file the owner filed after the link ended', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let sha256: string;
  let krFiles: Array<{ filename: string }>;
  let share: { status: number; body: unknown };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseId: string;
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      { names: [{ full: 'SOK Gapfile', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
      'KH case shared with KR',
      'CLEAR',
    ));
    const krCaseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    // An edit first: KR's copy is taken then, well before the file (see probe-r10-file-taking-the-copy).
    await khEditsPerson(tf, personId, { notes: 'Seen at the border' });
    sha256 = (
      await upload(
        t,
        tf['kh.officer'],
        `/persons/${personId}/attachments`,
        aPdf(3_000, 'r10-refusal'),
        'filed-after-revocation.pdf',
      ).expect(201)
    ).body.sha256;
    krFiles = (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items;
    share = await tf['kr.liaison'].post(`/cases/${krCaseId}/shares`, {
      countryCode: 'MY',
      handlingCode: 'CLEAR',
    });
  }, 120_000);
  afterAll(() => t?.close());

  it('KR is not listed the file KH filed after the share was revoked', () => {
    expect(krFiles).toEqual([]);
  });

  it('KR’s share of its own case with MY is not refused for that file, and the answer does not name it', () => {
    expect(JSON.stringify(share.body)).not.toContain(sha256.slice(0, 12));
    expect(share.status).toBe(201);
  });
});

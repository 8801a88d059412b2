import { aPdf, download, upload } from '../attachments/attachment-support';
import { khCaseSharedWithKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface FileBody {
  id: string;
  filename: string;
  status: string;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

/**
 * Probe (round 10): a country that lost its link to another country's person keeps the person as last
 * received, "its files as well, with no later withdrawal" (README, "Editing is a release"; src/attachments/
 * attachments.store.ts `COLUMNS` `frozenAt`). But the copy is only taken at the owner's next *edit or
 * upload* (`ReleaseService.keepForEndedCooperation`, called from `PersonsService.update` and
 * `ReleaseService.releaseFile`): withdrawing a file is an owner's change that takes no copy. KH shares a
 * case holding its person P (with a photo) with KR; KR links P into a case of its own; KH revokes the
 * share and then withdraws the photo with a reason. KR's `GET /persons/P/attachments` and
 * `GET /attachments/:id` read the file as `withdrawn`, with KH's `withdrawnAt` and its reason text, and the
 * download answers 410: KR learns what KH did, and why, after the link was gone.
 * Fault: src/attachments/attachments.service.ts `withdraw` (no `keepForEndedCooperation` for a person's
 * file before `markWithdrawn`), read through `notAfterKeptCopy`/`frozenAt` which only a kept copy stops.
 */
describe('Probe r10: a file withdrawn after the share was revoked reads as withdrawn to the former recipient', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let fileId: string;
  let listed: FileBody[];
  let one: FileBody;
  let content: number;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseId: string;
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      { names: [{ full: 'SOK Withdrawn', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
      'Photo then no longer',
      'CLEAR',
    ));
    fileId = (
      await upload(
        t,
        tf['kh.officer'],
        `/persons/${personId}/attachments`,
        aPdf(3_000, 'r10w'),
        'photo.pdf',
      ).expect(201)
    ).body.id;
    await tf['kr.officer']
      .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
      .expect(201);
    // KR reads the photo while the share stands.
    expect(
      (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items.map(
        (f: FileBody) => f.status,
      ),
    ).toEqual(['active']);

    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await tf['kh.officer']
      .post(`/attachments/${fileId}/withdraw`, { reason: 'Informant 7 retracted the identification' })
      .expect(200);

    listed = (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items;
    one = (await tf['kr.officer'].get(`/attachments/${fileId}`).expect(200)).body;
    content = (await download(t, tf['kr.officer'], fileId)).status;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR still lists the photo as it received it: active, with no withdrawal time or reason', () => {
    expect(listed.map((f) => [f.filename, f.status, f.withdrawnAt, f.withdrawalReason])).toEqual([
      ['photo.pdf', 'active', null, null],
    ]);
  });

  it('the file view does not carry KH’s later withdrawal or its reason', () => {
    expect(JSON.stringify(one)).not.toContain('Informant 7');
    expect(one.status).toBe('active');
    expect(one.withdrawnAt).toBeNull();
  });

  it('nor does the download answer 410 Gone for a file KR kept', () => {
    expect(content).not.toBe(410);
  });
});

import { download, upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 13): a file the target of a request withdraws is still read, bytes and all, by the
 * requesting country's auditors — and not by its own. KR sends KH an information request; KH accepts
 * and its officer attaches a findings file, then withdraws it (`POST /attachments/:id/withdraw`: the
 * country that gave a file takes it back; "withdrawn content stays stored and listed, and only the owner
 * country's auditors can still read it (others: 410)"). A file on a request is stored with the request's
 * origin as `owner_country` (src/attachments/attachment-parents.service.ts `bothSides`), whoever gave
 * it, and src/attachments/attachments.service.ts `openContent` (and the case bundle,
 * `CaseBundleService.open`) let `isOwnerAuditor` read withdrawn bytes: KR's auditor downloads the file
 * KH took back (200), while KH's auditor, of the country that gave and withdrew it, gets 410.
 * Fix: let withdrawn content be read by the auditors of the country that gave the file
 * (`uploader_country`), not of the record's owner, wherever `isOwnerAuditor` is asked.
 */
describe('Probe r13: a file KH withdrew from a KR request is still downloaded by KR’s auditors', () => {
  let t: TestApp;
  let tf: TaskForce;
  let attachmentId: string;
  let krOfficerRead: number;
  let krAuditorRead: { status: number; bytes: string };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const request = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').accepted();
    attachmentId = (
      await upload(
        t,
        tf['kh.officer'],
        `/information-requests/${request.id}/attachments`,
        Buffer.from('Subscriber records, sent by mistake: another operation.\n'),
        'findings.txt',
      ).expect(201)
    ).body.id;
    await tf['kh.officer']
      .post(`/attachments/${attachmentId}/withdraw`, { reason: 'Sent by mistake' })
      .expect(200);
    krOfficerRead = (await download(t, tf['kr.officer'], attachmentId)).status;
    const read = await download(t, tf['kr.auditor'], attachmentId);
    krAuditorRead = { status: read.status, bytes: (read.body as Buffer).toString() };
  }, 120_000);
  afterAll(() => t?.close());

  it('KR’s officers no longer download the withdrawn file', () => {
    expect(krOfficerRead).toBe(410);
  });

  it('nor do KR’s auditors: the country that withdrew it gave it, not KR', () => {
    expect(krAuditorRead.bytes).not.toContain('Subscriber records');
    expect(krAuditorRead.status).toBe(410);
  });
});

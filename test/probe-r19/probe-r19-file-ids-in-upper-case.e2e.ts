import { aPdf, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface TimelineEvent {
  action: string;
  actor: { country: string };
}

/**
 * Probe r19: a UUID's letters may be sent in upper case (`ParseUUIDPipe` takes them, PostgreSQL reads
 * them as the same id), so `/attachments/{ID}` reaches the same file as `/attachments/{id}`. What is
 * written about it must name the same record: the owner's auditors read a file's history by its id
 * (`/audit-events/timeline`, the case bundle's custody timeline), and an attempt by MY on KR's file, or
 * a re-check by KR, spelled in capitals must show there as it does spelled as the API wrote the id.
 */
describe('Probe r19: a file id spelled in upper case is the same record in the audit trail', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let fileId: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    caseId = (await tf['kr.officer'].post('/cases', { title: 'Upper case ids r19' }).expect(201)).body
      .id as string;
    fileId = (
      await upload(
        t,
        tf['kr.officer'],
        `/cases/${caseId}/attachments`,
        aPdf(3_000, 'upper'),
        'ledger.pdf',
      ).expect(201)
    ).body.id as string;
  }, 120_000);
  afterAll(() => t?.close());

  const timeline = async () =>
    (
      await tf['kr.auditor']
        .get(`/audit-events/timeline?recordType=attachment&recordId=${fileId}`)
        .expect(200)
    ).body.items as TimelineEvent[];
  const count = (events: TimelineEvent[], action: string, country: string) =>
    events.filter((e) => e.action === action && e.actor.country === country).length;

  it("shows MY's refused attempts on KR's file on the file's timeline, however the id's letters are spelled", async () => {
    const before = count(await timeline(), 'access.denied', 'MY');
    await tf['my.officer'].get(`/attachments/${fileId}`).expect(404);
    await tf['my.officer'].get(`/attachments/${fileId.toUpperCase()}/content`).expect(404);
    await tf['my.officer'].get(`/attachments/${fileId.toUpperCase()}`).expect(404);
    expect(count(await timeline(), 'access.denied', 'MY')).toBe(before + 3);
  });

  it("shows KR's re-check of its file on the file's timeline, however the id's letters are spelled", async () => {
    const before = count(await timeline(), 'attachment.verify', 'KR');
    await tf['kr.officer'].post(`/attachments/${fileId}/verify`).expect(200);
    const upper = await tf['kr.officer'].post(`/attachments/${fileId.toUpperCase()}/verify`).expect(200);
    expect(upper.body.id).toBe(fileId);
    expect(count(await timeline(), 'attachment.verify', 'KR')).toBe(before + 2);
  });

  it("lists a case's files and takes a new version by the case's id in upper case as by its id", async () => {
    const upper = `/cases/${caseId.toUpperCase()}/attachments`;
    const listed = await tf['kr.officer'].get(upper).expect(200);
    expect(listed.body.items.map((a: { id: string; parent: { id: string } }) => [a.id, a.parent.id])).toEqual(
      [[fileId, caseId]],
    );
    const v2 = await upload(t, tf['kr.officer'], upper, aPdf(3_000, 'upper-v2'), 'ledger.pdf', {
      'X-Supersedes': fileId.toUpperCase(),
    });
    expect({ status: v2.status, supersedes: v2.body.supersedes, parent: v2.body.parent }).toEqual({
      status: 201,
      supersedes: fileId,
      parent: { type: 'case', id: caseId },
    });
  });
});

import { upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface FileView {
  id: string;
  status: string;
  uploadedAt: string;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

/**
 * The person's country reads an arrest only while a repatriation request for it is under way: between
 * a request withdrawn (or the person dropped from it) and the next one sent, what the arresting country
 * does to the arrest reaches that country only with the next request, as a framework's gap reads — a
 * file seen before and withdrawn in the gap reads withdrawn as of the new sending, without why; a file
 * filed in the gap and kept reads as filed then; the arrest's last change is no earlier than the
 * sending. The arresting country reads its own times and reasons.
 */
describe('Arrest: what the arresting country did between two repatriation requests reads as of the second', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let seenFile: string;
  let gapFile: string;
  let resentAt: string;
  let gapStart: string;
  const reason = 'Notes name the wrong person';

  const fileAs = async (who: 'kr.officer' | 'kh.officer', id: string): Promise<FileView> =>
    (await tf[who].get(`/attachments/${id}`).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const given = givenIn(tf);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'CHOI Between', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    const first = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrestId], subject: 'Repatriation, then dropped' })
      .accepted();
    seenFile = (
      await upload(
        t,
        tf['kh.officer'],
        `/arrests/${arrestId}/attachments`,
        Buffer.from('Notes\n'),
        'notes.txt',
      ).expect(201)
    ).body.id;
    // KR reads the file while the request carries the person.
    expect((await fileAs('kr.officer', seenFile)).status).toBe('active');
    const dropped = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${first.id}/drop`, {
          version: first.version,
          arrestId,
          reason: 'charged_locally',
        })
        .expect(200)
    ).body;
    // Every person handed over or dropped: the request is fulfilled, and frees the arrest for another.
    await tf['kr.liaison']
      .post(`/repatriation-requests/${first.id}/fulfil`, { version: dropped.version })
      .expect(200);
    gapStart = new Date().toISOString();
    await tf['kh.officer'].post(`/attachments/${seenFile}/withdraw`, { reason }).expect(200);
    gapFile = (
      await upload(
        t,
        tf['kh.officer'],
        `/arrests/${arrestId}/attachments`,
        Buffer.from('Photo\n'),
        'photo.txt',
      ).expect(201)
    ).body.id;
    const current = (await tf['kh.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/arrests/${arrestId}/custody`, {
        status: 'charged',
        reason: 'Charged locally',
        version: current.version,
      })
      .expect(200);
    const resent = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrestId], subject: 'Repatriation, asked again' })
      .sent();
    resentAt = resent.sentAt as string;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the file it saw as withdrawn as of the new request, and not why', async () => {
    const read = await fileAs('kr.officer', seenFile);
    expect(read.status).toBe('withdrawn');
    expect(read.withdrawnAt).toBe(resentAt);
    expect(read.withdrawalReason).toBeNull();
    const own = await fileAs('kh.officer', seenFile);
    expect(own.withdrawalReason).toBe(reason);
    expect(own.withdrawnAt! < resentAt).toBe(true);
  });

  it('a file filed in the gap and kept reads as filed when the new request was sent', async () => {
    expect((await fileAs('kr.officer', gapFile)).uploadedAt).toBe(resentAt);
    expect((await fileAs('kh.officer', gapFile)).uploadedAt < resentAt).toBe(true);
    const listed: FileView[] = (await tf['kr.officer'].get(`/arrests/${arrestId}/attachments`).expect(200))
      .body.items;
    expect(listed.map((f) => f.id).sort()).toEqual([seenFile, gapFile].sort());
  });

  it('the arrest was last changed, for KR, no earlier than the new request; the gap step reads status only', async () => {
    const arrest = (await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    expect(arrest.custodyStatus).toBe('charged');
    expect(arrest.updatedAt).toBe(resentAt);
    const steps: Array<{ toStatus: string; reason: string | null; at: string }> = (
      await tf['kr.officer'].get(`/arrests/${arrestId}/custody`).expect(200)
    ).body;
    const gapSteps = steps.filter((s) => s.toStatus === 'charged');
    expect(gapSteps).toEqual([expect.objectContaining({ reason: null, at: resentAt })]);
    expect(steps.every((s) => s.at < gapStart || s.at >= resentAt)).toBe(true);
  });
});

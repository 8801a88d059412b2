import { download, sha256 } from '../attachments/attachment-support';
import { brief, naming, now, onwardWorld, OnwardWorld, trailSince } from './r36-support';

/**
 * Probe r36: a file of KR's person, read by MY, which holds the person only because KH shared a case of
 * its own with MY. The chain of custody wrote each read (`attachment.download`, `attachment.verify`, a
 * refused read of withdrawn content) owned by the file's owner with the reader as counterpart: KR's
 * auditors read that MY took KR's file — that MY holds KR's person, that KH passed it on. A read by a
 * country the owner gave the file to itself (KH) stays in the owner's trail, as README "Chain of
 * custody" promises.
 */
describe('Probe r36: reads of a file by an onward recipient stay out of the owner’s trail', () => {
  let w: OnwardWorld;
  beforeAll(async () => {
    w = await onwardWorld();
  }, 120_000);
  afterAll(() => w?.t.close());

  it('MY downloads KR’s file: KR’s auditors read nothing of it; MY’s read the download', async () => {
    const since = await now(w.t);
    const got = await download(w.t, w.tf['my.officer'], w.fileId).expect(200);
    expect(sha256(got.body as Buffer)).toBe(sha256(w.fileBytes));
    await download(w.t, w.tf['my.officer'], w.fileId, { Range: 'bytes=0-99' }).expect(206);
    // Before the fix: two `attachment.download` events, owner KR, counterpart MY, actor MY.
    expect(brief(naming(await trailSince(w.tf['kr.auditor'], since), 'MY'))).toEqual([]);
    const timeline = (
      await w.tf['kr.auditor']
        .get(`/audit-events/timeline?recordType=attachment&recordId=${w.fileId}&limit=200`)
        .expect(200)
    ).body.items;
    expect(brief(naming(timeline, 'MY'))).toEqual([]);
    // MY's own auditors keep the chain of custody of what their users took.
    const mine = (await trailSince(w.tf['my.auditor'], since)).filter(
      (e) => e.action === 'attachment.download',
    );
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      recordType: 'attachment',
      recordId: w.fileId,
      ownerCountry: 'MY',
      counterpartCountry: null,
      actor: { country: 'MY', username: 'my.officer' },
      details: { sha256: sha256(w.fileBytes), fileOwner: 'KR' },
    });
  });

  it('MY verifies KR’s file: KR’s auditors read nothing of it', async () => {
    const since = await now(w.t);
    const checked = (await w.tf['my.officer'].post(`/attachments/${w.fileId}/verify`).expect(200)).body;
    expect(checked).toMatchObject({ ok: true });
    expect(brief(naming(await trailSince(w.tf['kr.auditor'], since), 'MY'))).toEqual([]);
    expect(
      (await trailSince(w.tf['my.auditor'], since)).filter((e) => e.action === 'attachment.verify'),
    ).toMatchObject([
      { ownerCountry: 'MY', counterpartCountry: null, details: { fileOwner: 'KR', ok: true } },
    ]);
  });

  it('control: KH, which KR gave the file to, downloads it: in KR’s trail, as README’s chain of custody says', async () => {
    const since = await now(w.t);
    await download(w.t, w.tf['kh.officer'], w.fileId).expect(200);
    const kh = (await trailSince(w.tf['kr.auditor'], since)).filter(
      (e) => e.action === 'attachment.download',
    );
    expect(kh).toMatchObject([
      { recordId: w.fileId, ownerCountry: 'KR', counterpartCountry: 'KH', actor: { country: 'KH' } },
    ]);
  });

  it('MY’s bundle of KH’s case (shared with it by KH itself) tells KR nothing', async () => {
    const since = await now(w.t);
    await w.tf['my.officer'].get(`/cases/${w.khCaseId}/bundle`).expect(200);
    expect(brief(naming(await trailSince(w.tf['kr.auditor'], since), 'MY'))).toEqual([]);
  });

  it('KR withdraws the file; MY reads it as it had it (its copy) and that read is not in KR’s trail either', async () => {
    await w.tf['kr.officer']
      .post(`/attachments/${w.fileId}/withdraw`, { reason: 'superseded statement' })
      .expect(200);
    const since = await now(w.t);
    // The withdrawal is an owner's change: MY, an onward recipient, keeps the person as it had it.
    await download(w.t, w.tf['my.officer'], w.fileId).expect(200);
    expect(brief(naming(await trailSince(w.tf['kr.auditor'], since), 'MY'))).toEqual([]);
  });
});

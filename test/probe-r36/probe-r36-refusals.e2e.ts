import { download, upload } from '../attachments/attachment-support';
import { AuditEventView, brief, naming, now, onwardWorld, OnwardWorld, trailSince } from './r36-support';

/**
 * Probe r36: refusals of what MY tried to do with KR's person, which it holds only because KH passed it
 * on (KH's case shared with MY under AMBER). Each refusal was written owned by KR — a step MY may not
 * take on a record it sees (`access.denied`, `not-allowed`), a release the rule refused
 * (`release.refused`, "owned by the originator") — so KR's auditors read that MY holds KR's person,
 * its number and its file: that KH passed them on.
 */
describe('Probe r36: an onward recipient’s refused steps stay out of the owner’s trail', () => {
  let w: OnwardWorld;
  beforeAll(async () => {
    w = await onwardWorld('AMBER');
  }, 120_000);
  afterAll(() => w?.t.close());

  const krReadsOfMy = async (since: string) => naming(await trailSince(w.tf['kr.auditor'], since), 'MY');
  const myOwn = async (since: string, action: string): Promise<AuditEventView[]> =>
    (await trailSince(w.tf['my.auditor'], since)).filter((e) => e.action === action);

  it('MY’s officer tries to edit KR’s person (403): KR’s auditors read nothing of it; MY’s read the refusal', async () => {
    const since = await now(w.t);
    const person = (await w.tf['my.officer'].get(`/persons/${w.personId}`).expect(200)).body;
    await w.tf['my.officer']
      .patch(`/persons/${w.personId}`, {
        version: person.version ?? 1,
        names: [{ full: 'PARK Renamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
      })
      .expect(403);
    // Before the fix: `access.denied` (not-allowed) on KR's person, owner KR, actor MY.
    expect(brief(await krReadsOfMy(since))).toEqual([]);
    expect(await myOwn(since, 'access.denied')).toMatchObject([
      {
        recordType: 'person',
        recordId: w.personId,
        ownerCountry: 'MY',
        details: { reason: 'not-allowed', recordOwner: 'KR' },
      },
    ]);
  });

  it('MY’s officer tries to file on KR’s person, and to withdraw KR’s file (403 each): KR reads neither', async () => {
    const since = await now(w.t);
    await upload(
      w.t,
      w.tf['my.officer'],
      `/persons/${w.personId}/attachments`,
      Buffer.from('a note\n'),
      'n.txt',
    ).expect(403);
    await w.tf['my.officer'].post(`/attachments/${w.fileId}/withdraw`, { reason: 'not ours' }).expect(403);
    expect(brief(await krReadsOfMy(since))).toEqual([]);
    expect((await myOwn(since, 'access.denied')).map((e) => [e.recordType, e.ownerCountry])).toEqual([
      ['person', 'MY'],
      ['attachment', 'MY'],
    ]);
  });

  it('MY passes KR’s person to TH (refused, AMBER): KR’s auditors read nothing of it', async () => {
    const caseId = (
      await w.tf['my.officer']
        .post('/cases', { title: 'MY case r36', persons: [{ personId: w.personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    const since = await now(w.t);
    const refused = await w.tf['my.liaison'].post(`/cases/${caseId}/shares`, {
      countryCode: 'TH',
      handlingCode: 'AMBER',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('urn:case-desk:problem:release-refused');
    // Before the fix: `release.refused` owned by KR (the originator), actor MY, recipient TH.
    expect(brief(await krReadsOfMy(since))).toEqual([]);
    const mine = await myOwn(since, 'release.refused');
    expect(mine.length).toBeGreaterThan(0);
    for (const e of mine)
      expect(e).toMatchObject({ ownerCountry: 'MY', details: { originatorCountry: 'KR' } });
  });

  it('MY writes KR’s passport number into a case it shares with TH (refused): KR reads nothing of it', async () => {
    const caseId = (
      await w.tf['my.officer'].post('/cases', { title: `Passport ${w.passport} seen at Bukit` }).expect(201)
    ).body.id as string;
    const since = await now(w.t);
    const refused = await w.tf['my.liaison'].post(`/cases/${caseId}/shares`, {
      countryCode: 'TH',
      handlingCode: 'AMBER',
    });
    expect(refused.status).toBe(409);
    expect(brief(await krReadsOfMy(since))).toEqual([]);
    expect((await myOwn(since, 'release.refused')).length).toBeGreaterThan(0);
  });

  it('MY files KR’s file again on a case it shares with TH (refused): KR reads nothing of it', async () => {
    const caseId = (await w.tf['my.officer'].post('/cases', { title: 'MY evidence r36' }).expect(201)).body
      .id as string;
    await w.tf['my.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'TH', handlingCode: 'AMBER' })
      .expect(201);
    const bytes = (await download(w.t, w.tf['my.officer'], w.fileId).expect(200)).body as Buffer;
    const since = await now(w.t);
    const refused = await upload(w.t, w.tf['my.officer'], `/cases/${caseId}/attachments`, bytes, 'copy.pdf');
    expect(refused.status).toBe(409);
    expect(brief(await krReadsOfMy(since))).toEqual([]);
    expect((await myOwn(since, 'release.refused')).length).toBeGreaterThan(0);
  });

  it('control: KH, which KR gave the person to, tries to edit it: KR’s auditors read that refusal', async () => {
    const since = await now(w.t);
    const person = (await w.tf['kh.officer'].get(`/persons/${w.personId}`).expect(200)).body;
    await w.tf['kh.officer']
      .patch(`/persons/${w.personId}`, {
        version: person.version ?? 1,
        names: [{ full: 'PARK Renamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
      })
      .expect(403);
    expect(
      (await trailSince(w.tf['kr.auditor'], since)).filter((e) => e.action === 'access.denied'),
    ).toMatchObject([{ recordId: w.personId, ownerCountry: 'KR', actor: { country: 'KH' } }]);
  });
});

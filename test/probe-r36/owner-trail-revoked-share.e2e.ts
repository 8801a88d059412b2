import { download } from '../attachments/attachment-support';
import { brief, naming, now, onwardWorld, OnwardWorld, trailSince } from './r36-support';

/**
 * The owner-trail rule (`src/access/owner-trail.ts`) tells the owner of another country's act on its
 * person only where it gave the person to that country itself. A case of the owner's that holds the
 * person counts as giving it only while the case is shared: a share revoked before the person was
 * linked gave nothing. Here KR shared a case with MY, revoked the share, and only then linked its
 * person into that case; MY holds the person through KH alone. MY's download of the person's file must
 * not tell KR's auditors that MY holds it.
 */
describe('Owner trail: a case share revoked before the person was linked gave the person to no one', () => {
  let w: OnwardWorld;
  beforeAll(async () => {
    w = await onwardWorld();
    const kr = w.tf['kr.officer'];
    const caseId = (await kr.post('/cases', { title: 'KR case once shared with MY' }).expect(201)).body
      .id as string;
    await w.tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY' }).expect(201);
    await w.tf['kr.liaison'].delete(`/cases/${caseId}/shares/MY`).expect(200);
    await kr
      .post(`/cases/${caseId}/persons`, { persons: [{ personId: w.personId, role: 'suspect' }] })
      .expect(201);
  }, 120_000);
  afterAll(() => w?.t.close());

  it('MY downloads the file: in MY’s trail only, none of it in KR’s', async () => {
    const since = await now(w.t);
    await download(w.t, w.tf['my.officer'], w.fileId).expect(200);
    expect(brief(naming(await trailSince(w.tf['kr.auditor'], since), 'MY'))).toEqual([]);
    expect(
      (await trailSince(w.tf['my.auditor'], since)).filter((e) => e.action === 'attachment.download'),
    ).toMatchObject([{ recordId: w.fileId, ownerCountry: 'MY', counterpartCountry: null }]);
  });

  it('control: once KR shares that case with MY again, MY’s download is in KR’s trail', async () => {
    const [{ id: caseId }] = await w.t.dataSource.query(
      `SELECT id FROM case_file WHERE title = 'KR case once shared with MY'`,
    );
    await w.tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY' }).expect(201);
    const since = await now(w.t);
    await download(w.t, w.tf['my.officer'], w.fileId).expect(200);
    expect(
      (await trailSince(w.tf['kr.auditor'], since)).filter((e) => e.action === 'attachment.download'),
    ).toMatchObject([
      { recordId: w.fileId, ownerCountry: 'KR', counterpartCountry: 'MY', actor: { country: 'MY' } },
    ]);
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { RELEASE_REFUSED } from '../sharing/support';
import { aPdf, upload } from './attachment-support';

/**
 * Files are under the release rule by their bytes (issue 15 × issue 19): a PDF KH gave KR does not
 * reach MY by being attached again to a KR record MY reads, nor by sharing the record it hangs on.
 */
describe('Attachments under the release rule', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'attachments-release-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** KR asks KH; KH answers with `pdf` attached to the request. */
  async function khGivesKr(pdf: Buffer) {
    const d = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .with({ subject: 'Bank statements?', questions: ['Statements of the mule account?'] })
      .accepted();
    const up = await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${d.id}/attachments`,
      pdf,
      'statement.pdf',
    );
    expect(up.status).toBe(201);
  }
  const krCase = async () =>
    (await tf['kr.officer'].post('/cases', { title: 'Files' }).expect(201)).body.id as string;

  it('a PDF KH gave KR, attached by KR to a request MY sent it (KR answering), is refused; MY reads nothing (probe, third round)', async () => {
    const pdf = aPdf(20_000, 'kh-statement-answer');
    await khGivesKr(pdf);
    const d = await givenIn(tf)
      .anInformationRequest()
      .from('MY')
      .sentTo('KR')
      .with({ subject: 'Statements?', questions: ['Any statements?'] })
      .accepted();
    const refused = await upload(
      t,
      tf['kr.officer'],
      `/information-requests/${d.id}/attachments`,
      pdf,
      'a.pdf',
    );
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe(RELEASE_REFUSED);
    expect(
      (await tf['my.officer'].get(`/information-requests/${d.id}/attachments`).expect(200)).body.items,
    ).toEqual([]);
    // KR's own file answers MY.
    expect(
      (
        await upload(
          t,
          tf['kr.officer'],
          `/information-requests/${d.id}/attachments`,
          aPdf(9_000, 'kr'),
          'b.pdf',
        )
      ).status,
    ).toBe(201);
  });

  it('the same bytes as a file KH keeps to itself are MY’s own: sharing them is not refused and names no country (probe, third round)', async () => {
    const pdf = aPdf(15_000, 'same-bytes');
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'KH only' }).expect(201)).body.id;
    expect((await upload(t, tf['kh.officer'], `/cases/${khCase}/attachments`, pdf, 'kh.pdf')).status).toBe(
      201,
    );
    const myCase = (await tf['my.officer'].post('/cases', { title: 'MY own' }).expect(201)).body.id;
    expect((await upload(t, tf['my.officer'], `/cases/${myCase}/attachments`, pdf, 'my.pdf')).status).toBe(
      201,
    );
    await tf['my.liaison'].post(`/cases/${myCase}/shares`, { countryCode: 'KR' }).expect(201);
    const refusals = await t.dataSource.query(
      `SELECT 1 FROM audit_event WHERE action = 'release.refused' AND actor_country = 'MY' AND owner_country = 'KH'`,
    );
    expect(refusals).toEqual([]);
  });

  it('a file KH sent on a RED request stays with KR’s named recipients: the assigned officer cannot attach it to a KR case (probe, third round)', async () => {
    const pdf = aPdf(12_000, 'red-file');
    const red = givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('RED');
    const d = await red.drafted();
    expect(
      (await upload(t, tf['kh.officer'], `/information-requests/${d.id}/attachments`, pdf, 'red.pdf')).status,
    ).toBe(201);
    await red.assignedTo('kr.officer');
    const kase = await krCase();
    const refused = await upload(t, tf['kr.officer'], `/cases/${kase}/attachments`, pdf, 'copy.pdf');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['RED'] });
    expect((await tf['kr.officer'].get(`/cases/${kase}/attachments`).expect(200)).body.items).toEqual([]);
    // The refusal, which KR's auditors read, does not carry the file's hash.
    const [event] = await t.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'release.refused' AND record_type = 'attachment' ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.stringify(event.details)).not.toContain(createHash('sha256').update(pdf).digest('hex'));
  });

  it('a PDF KH gave KR, attached again to a KR case already shared with MY, is refused; MY lists nothing', async () => {
    const pdf = aPdf(20_000, 'kh-statement-1');
    await khGivesKr(pdf);
    const kase = await krCase();
    await tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }).expect(201);
    const refused = await upload(t, tf['kr.officer'], `/cases/${kase}/attachments`, pdf, 'copy.pdf');
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe(RELEASE_REFUSED);
    expect((await tf['my.officer'].get(`/cases/${kase}/attachments`).expect(200)).body.items).toEqual([]);
    // KR's own file goes.
    const own = await upload(
      t,
      tf['kr.officer'],
      `/cases/${kase}/attachments`,
      aPdf(20_000, 'kr-own'),
      'own.pdf',
    );
    expect(own.status).toBe(201);
  });

  it('sharing a KR case that holds a PDF KH gave is refused; attached to a request back to KH it goes', async () => {
    const pdf = aPdf(20_000, 'kh-statement-2');
    await khGivesKr(pdf);
    const kase = await krCase();
    expect(
      (await upload(t, tf['kr.officer'], `/cases/${kase}/attachments`, pdf, 'internal.pdf')).status,
    ).toBe(201);
    const refused = await tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }).expect(409);
    expect(refused.body.type).toBe(RELEASE_REFUSED);
    await tf['my.officer'].get(`/cases/${kase}`).expect(404);
    // Back to KH, the country it came from: allowed.
    await tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'KH' }).expect(201);
  });
});

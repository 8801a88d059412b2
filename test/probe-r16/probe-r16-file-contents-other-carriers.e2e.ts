import { download, upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { khCaseSharedWithKr, personKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { namesTheNumber } from './r16-support';

/**
 * Probe r16 (finding 2, other carriers): as probe-r16-file-contents, by an arrest shared with MY and an
 * information request sent to MY; and a file KH gave KR, re-saved by KR with one byte more.
 *
 * - KR's file holding `+855 12 000 111` (which KH gave KR under AMBER) attached to KR's arrest shared with
 *   MY, or to KR's information request sent to MY: expected 409, actual 201, MY's officer downloads it.
 * - KH attaches a call log naming its person's phone to a case it shares with KR under AMBER. KR
 *   downloads it and attaches it to a KR case shared with MY: the same bytes are refused (409, held:
 *   `foreignFiles` knows the SHA-256), but the same text with a newline added is a new SHA-256 and goes
 *   (201); MY reads KH's AMBER call log. Expected 409: the number in it is KH's under AMBER.
 *
 * Code path: `ReleaseService.attachFile` → `releaseFiles` weighs the SHA-256 (`foreignFiles`) and the
 * name only. Fix: weigh what a file says, where it can be read — text and CSV files whole (as UTF-8, and
 * as UTF-16 where detected), the entries of a ZIP (names and text entries), a PDF's text — with
 * `numbersIn` under the same rule as any text, at attach time and whenever a record carrying the file is
 * released (`releaseFiles`); refuse a file whose contents cannot be read (encrypted ZIP, image PDF) to a
 * third country unless it is the holder's own by declaration, or at least audit it.
 */
describe('Probe r16: received numbers inside files, by arrests, requests, and a re-saved received file', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER', 'SOK Carriers');
  });
  afterAll(() => t?.close());

  const callLog = Buffer.from('Call log\nSubscriber +855 12 000 111, 3 March, 14:02\n', 'utf8');
  const myReadsTheNumber = async (attachmentId: string | undefined) => {
    if (!attachmentId) return false;
    const res = await download(t, tf['my.officer'], attachmentId);
    return res.status === 200 && namesTheNumber((res.body as Buffer).toString('utf8'));
  };

  it('on a KR arrest shared with MY: refused, and MY reads no number', async () => {
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          person: { names: [{ full: 'PARK Arrest', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    await tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }).expect(200);
    const attached = await upload(
      t,
      tf['kr.officer'],
      `/arrests/${arrest.id}/attachments`,
      callLog,
      'log.txt',
    );
    expect({
      attached: attached.status,
      myReadsTheNumber: await myReadsTheNumber(attached.status === 201 ? attached.body.id : undefined),
    }).toEqual({ attached: 409, myReadsTheNumber: false });
  });

  it('on a KR information request sent to MY: refused, and MY reads no number', async () => {
    const sent = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('MY')
      .with({ subject: 'Who runs the call centre?' })
      .sent();
    const attached = await upload(
      t,
      tf['kr.officer'],
      `/information-requests/${sent.id}/attachments`,
      callLog,
      'log.txt',
    );
    expect({
      attached: attached.status,
      myReadsTheNumber: await myReadsTheNumber(attached.status === 201 ? attached.body.id : undefined),
    }).toEqual({ attached: 409, myReadsTheNumber: false });
  });

  it('a file KH gave KR under AMBER, re-saved with one byte more, does not go to MY', async () => {
    const { caseId } = await khCaseSharedWithKr(
      tf,
      { names: [{ full: 'CHHAY Log', script: 'latin', kind: 'primary' }], phones: ['+85566700111'] },
      'Call logs',
      'AMBER',
    );
    const khLog = Buffer.from(
      'KH call log\nSubscriber +855 66 700 111 called the compound 40 times\n',
      'utf8',
    );
    const given = (
      await upload(t, tf['kh.officer'], `/cases/${caseId}/attachments`, khLog, 'kh-log.txt').expect(201)
    ).body;
    const krCopy = (await download(t, tf['kr.officer'], given.id).expect(200)).body as Buffer;
    const mine = (await tf['kr.officer'].post('/cases', { title: 'Onward' }).expect(201)).body;
    await tf['kr.liaison'].post(`/cases/${mine.id}/shares`, { countryCode: 'MY' }).expect(201);
    // The bytes as given: refused (held).
    const same = await upload(t, tf['kr.officer'], `/cases/${mine.id}/attachments`, krCopy, 'log.txt');
    expect(same.status).toBe(409);
    expect(same.body.type).toBe(RELEASE_REFUSED);
    // One newline more.
    const resaved = await upload(
      t,
      tf['kr.officer'],
      `/cases/${mine.id}/attachments`,
      Buffer.concat([krCopy, Buffer.from('\n')]),
      'log.txt',
    );
    let myReadsKhLog = false;
    if (resaved.status === 201) {
      const res = await download(t, tf['my.officer'], resaved.body.id);
      myReadsKhLog = res.status === 200 && (res.body as Buffer).toString('utf8').includes('+855 66 700 111');
    }
    expect({ resaved: resaved.status, myReadsKhLog }).toEqual({ resaved: 409, myReadsKhLog: false });
  });

  it('held: a UTF-16 text file (NUL bytes) is not accepted as a file at all, so MY reads nothing', async () => {
    const kase = (await tf['kr.officer'].post('/cases', { title: 'UTF-16' }).expect(201)).body;
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Subscriber +855 12 000 111\n', 'utf16le'),
    ]);
    const attached = await upload(t, tf['kr.officer'], `/cases/${kase.id}/attachments`, utf16, 'log.txt');
    expect(attached.status).toBeGreaterThanOrEqual(400);
    expect((await tf['my.officer'].get(`/cases/${kase.id}/attachments`).expect(200)).body.items).toEqual([]);
  });
});

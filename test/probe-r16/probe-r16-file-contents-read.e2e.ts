import { deflateSync } from 'node:zlib';
import { download, upload } from '../attachments/attachment-support';
import { identifiersKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip, namesTheNumber, receivedNumberAndCaseSharedWithMy } from './r16-support';

/**
 * What a file says is weighed as any text is (finding 2's fix), however the file keeps its text: a ZIP's
 * deflated entries and the ZIPs inside it, a PDF's compressed content streams with the number's groups
 * spaced apart as a `TJ` array shows them. A file written before its numbers were received goes: its
 * writer knew them already. A damaged ZIP is refused, as its contents cannot be weighed.
 */
describe('Probe r16: the contents of a file, however kept, are weighed as text', () => {
  let t: TestApp;
  let tf: TaskForce;
  let sharedCase: string;
  const text = 'Call log\nSubscriber +855 12 000 111 paid the compound on 3 March\n';
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    sharedCase = await receivedNumberAndCaseSharedWithMy(tf, 'SOK Contents', 'Compound ledgers');
  });
  afterAll(() => t?.close());

  const attach = (body: Buffer, filename: string) =>
    upload(t, tf['kr.officer'], `/cases/${sharedCase}/attachments`, body, filename);

  const kept: Array<[string, string, () => Promise<Buffer>]> = [
    ['a ZIP holding a deflated text file', 'extract.zip', () => aZip([['calls.txt', Buffer.from(text)]])],
    [
      'a ZIP holding a ZIP holding a CSV file',
      'nested.zip',
      async () =>
        aZip([['inner.zip', await aZip([['calls.csv', Buffer.from('caller,amount\n012-000-111,5000\n')]])]]),
    ],
    [
      'a ZIP whose entry is named with the number',
      'named.zip',
      () => aZip([['012 000 111.txt', Buffer.from('x')]]),
    ],
    ['a PDF whose compressed stream shows the number in spaced groups', 'ledger.pdf', async () => aPdf(true)],
  ];

  for (const [name, filename, bytes] of kept)
    it(`${name}: refused (409), and MY reads no file with the number`, async () => {
      const attached = await attach(await bytes(), filename);
      expect({ status: attached.status, type: attached.body.type }).toEqual({
        status: 409,
        type: RELEASE_REFUSED,
      });
      const listed = (await tf['my.officer'].get(`/cases/${sharedCase}/attachments`).expect(200)).body;
      for (const file of listed.items ?? listed) {
        const res = await download(t, tf['my.officer'], file.id);
        expect(namesTheNumber((res.body as Buffer).toString('latin1'))).toBe(false);
      }
    });

  it('a file with numbers KR was given by nobody goes, and MY reads it', async () => {
    const innocent = Buffer.from('Call log\nSubscriber +855 97 555 4321 paid on 3 March\n');
    const attached = await attach(innocent, 'innocent.txt').expect(201);
    const res = await download(t, tf['my.officer'], attached.body.id as string);
    expect((res.body as Buffer).toString('utf8')).toContain('+855 97 555 4321');
  });

  it('a file KR wrote before KH gave it the number goes with a later share: KR knew the number already', async () => {
    const number = '+85595123456';
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Older ledger' }).expect(201)).body.id;
    const file = Buffer.from(`Subscriber ${number} paid`);
    const before = await upload(t, tf['kr.officer'], `/cases/${kase}/attachments`, file, 'older.txt').expect(
      201,
    );
    await identifiersKhGaveKr(tf, 'AMBER', { phones: [number] });
    // Written again after the receipt, the same words are weighed against it.
    const after = await upload(
      t,
      tf['kr.officer'],
      `/cases/${kase}/attachments`,
      Buffer.from(`Subscriber ${number} paid again`),
      'newer.txt',
    ).expect(201);
    const share = await tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' });
    expect({ status: share.status, type: share.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
    await tf['kr.officer']
      .post(`/attachments/${after.body.id as string}/withdraw`, { reason: 'Superseded' })
      .expect(200);
    await tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }).expect(201);
    const res = await download(t, tf['my.officer'], before.body.id as string);
    expect((res.body as Buffer).toString('utf8')).toContain(number);
  });

  it('a damaged ZIP is refused (422), its contents unread; nothing is attached', async () => {
    const damaged = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]);
    const attached = await attach(damaged, 'damaged.zip');
    expect({ status: attached.status, type: attached.body.type }).toEqual({
      status: 422,
      type: 'urn:case-desk:problem:attachment-unreadable',
    });
  });

  /** A one-page PDF whose content stream (deflated when `compress`) shows the number as a TJ array. */
  function aPdf(compress: boolean): Buffer {
    const content = 'BT /F1 12 Tf 72 720 Td [(Subscriber +855 12) -250 (000 111) 120 ( paid)] TJ ET';
    const stream = compress ? deflateSync(content) : Buffer.from(content);
    const filter = compress ? ' /Filter /FlateDecode' : '';
    return Buffer.concat([
      Buffer.from(
        `%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n` +
          `3 0 obj <</Type /Page /Parent 2 0 R /Contents 4 0 R>> endobj\n4 0 obj <</Length ${stream.length}${filter}>> stream\n`,
        'latin1',
      ),
      stream,
      Buffer.from('\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n', 'latin1'),
    ]);
  }
});

import { download, upload } from '../attachments/attachment-support';
import { identifiersKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip, namesTheNumber, receivedNumberAndCaseSharedWithMy } from '../probe-r16/r16-support';
import { deflateSync, pdfWith, SAYS, showing, zipOf } from './r18-support';

/**
 * Probe r18, what held: the same number in forms the reader does read is refused (409); malformed files answer without a 500.
 */
describe('Probe r18: file contents the reader reads', () => {
  let t: TestApp;
  let tf: TaskForce;
  let sharedCase: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    sharedCase = await receivedNumberAndCaseSharedWithMy(tf, 'SOK Held', 'Held r18');
  });
  afterAll(() => t?.close());

  const attach = async (body: Buffer, filename: string) =>
    upload(t, tf['kr.officer'], `/cases/${sharedCase}/attachments`, body, filename);
  const text = Buffer.from(`Call log\n${SAYS}\n`);

  const refused: Array<[string, string, () => Promise<Buffer>]> = [
    [
      'a deflated PDF content stream (the builder the findings use)',
      'plain.pdf',
      async () => pdfWith(deflateSync(showing(SAYS)), ' /Filter /FlateDecode'),
    ],
    [
      'a PDF stream whose /Length lies',
      'length.pdf',
      async () =>
        Buffer.from(
          pdfWith(showing(SAYS))
            .toString('latin1')
            .replace(/\/Length \d+/, '/Length 3'),
          'latin1',
        ),
    ],
    [
      'a PDF object stream (deflated) holding the number as a string',
      'objstm.pdf',
      async () =>
        pdfWith(
          deflateSync(Buffer.from(`6 0 <</T (${SAYS})>>`)),
          ' /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode',
        ),
    ],
    [
      'a CSV with the number over columns',
      'cols.csv',
      async () => Buffer.from('date,cc,number\n2026-03-03,+855,12 000 111\n'),
    ],
    ['a UTF-8 BOM text with CRLF lines', 'bom.txt', async () => Buffer.from(`\uFEFFCall log\r\n${SAYS}\r\n`)],
    [
      'a text whose number sits on the 4096-character window boundary',
      'window.txt',
      async () => Buffer.from(`${'x'.repeat(4085)} ${SAYS}`),
    ],
    [
      'a ZIP entry written with a data descriptor',
      'dd.zip',
      async () => zipOf([['calls.txt', text, { stream: true }]]),
    ],
    [
      'a ZIP three deep',
      'three.zip',
      async () => aZip([['l1.zip', await aZip([['l2.zip', await aZip([['calls.txt', text]])]])]]),
    ],
    [
      'a PDF inside a ZIP inside a ZIP',
      'pdf2.zip',
      async () =>
        aZip([
          ['l1.zip', await aZip([['c.pdf', pdfWith(deflateSync(showing(SAYS)), ' /Filter /FlateDecode')]])],
        ]),
    ],
  ];
  for (const [name, filename, bytes] of refused)
    it(`${name}: refused (409)`, async () => {
      const res = await attach(await bytes(), filename);
      expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
    });

  it('malformed PDFs answer without a 500', async () => {
    const statuses = [];
    for (const body of [
      '%PDF-1.7\nstream',
      '%PDF-1.7\n4 0 obj <</Length 99 /Filter /FlateDecode>> stream\n\x78\x9c\xff\xff endstream',
      `%PDF-1.7\n${'stream\n'.repeat(5000)}`,
      '%PDF-1.7\n(<' + 'f'.repeat(100000) + '>)',
    ])
      statuses.push((await attach(Buffer.from(body, 'latin1'), 'bad.pdf')).status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it('a file attached to a draft to MY: the draft is not sent with it, and MY reads no number', async () => {
    const body = (await tf.frameworkBetween('KR', 'MY'))!;
    const draft = (
      await tf['kr.officer'].post('/information-requests', aDraft(body, { targetCountry: 'MY' })).expect(201)
    ).body;
    const up = await upload(
      t,
      tf['kr.officer'],
      `/information-requests/${draft.id}/attachments`,
      text,
      'calls.txt',
    );
    let approved = 0;
    if (up.status === 201) {
      const current = (await tf['kr.officer'].get(`/information-requests/${draft.id}`).expect(200)).body;
      const submitted = await tf['kr.officer'].post(`/information-requests/${draft.id}/submit`, {
        version: current.version,
      });
      if (submitted.status === 200)
        approved = (
          await tf['kr.liaison'].post(`/information-requests/${draft.id}/approve`, {
            version: submitted.body.version,
          })
        ).status;
    }
    const myRead = up.status === 201 ? await download(t, tf['my.liaison'], up.body.id as string) : null;
    const read = myRead?.status === 200 ? namesTheNumber((myRead.body as Buffer).toString('latin1')) : false;
    expect({ upload: up.status, approved: approved === 200, myReadsTheNumber: read }).toEqual({
      upload: 409,
      approved: false,
      myReadsTheNumber: false,
    });
  });

  it('the same bytes uploaded before the receipt, then again after: the second upload is read and refused', async () => {
    const number = '+85595333222';
    const file = Buffer.from(`Subscriber ${number} paid`);
    const privateCase = (await tf['kr.officer'].post('/cases', { title: 'Before receipt' }).expect(201)).body
      .id;
    await upload(t, tf['kr.officer'], `/cases/${privateCase}/attachments`, file, 'early.txt').expect(201);
    await identifiersKhGaveKr(tf, 'AMBER', { phones: [number] });
    const again = await attach(file, 'again.txt');
    expect({ status: again.status, type: again.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
  });
});

import { download, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip, namesTheNumber, receivedNumberAndCaseSharedWithMy } from './r16-support';

/**
 * Probe r16 (finding 2): the contents of a file KR writes are never weighed, so a number KH gave KR under
 * AMBER reaches MY inside a text, CSV, ZIP or PDF attachment.
 *
 * KH gives KR `+85512000111` under AMBER (`personKhGaveKr`). KR's officer attaches a file of KR's own
 * whose bytes hold that number (`Subscriber +855 12 000 111`) to a KR case already shared with MY, or to a
 * KR person before a case holding the person is shared with MY. Expected: 409 `release-refused` (the
 * number is weighed as it is in the file's name, the case's title or a message), and MY reads no file
 * holding it. Actual: 201 and the share 201; MY's officer downloads the file
 * (`GET /attachments/{id}/content`) and reads the number.
 *
 * Code path: `ReleaseService.attachFile` and `releaseFiles` (src/sharing/release.service.ts) weigh a
 * file by its SHA-256 only (`foreignFiles`: was this exact byte string received from another country?)
 * and its name (`numbersIn(filename)`); nothing reads the bytes KR wrote. README "Files travel by their
 * bytes" says so, but the promise is that the number is never readable by MY by any path.
 */
describe('Probe r16: a received number inside a file of the holder’s own', () => {
  let t: TestApp;
  let tf: TaskForce;
  let sharedCase: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    sharedCase = await receivedNumberAndCaseSharedWithMy(tf, 'SOK Files', 'Compound finances');
  });
  afterAll(() => t?.close());

  /** Whatever MY's officer can download of a file, as text (UTF-8, and UTF-16LE too). */
  const myDownload = async (attachmentId: string | undefined) => {
    if (!attachmentId) return '';
    const res = await download(t, tf['my.officer'], attachmentId);
    if (res.status !== 200) return '';
    const bytes = res.body as Buffer;
    return `${bytes.toString('utf8')} ${bytes.toString('utf16le')}`;
  };

  const text = 'Call log\nSubscriber +855 12 000 111 paid the compound on 3 March\n';
  const files: Array<[string, string, () => Promise<Buffer>]> = [
    ['a plain text file', 'calls.txt', async () => Buffer.from(text, 'utf8')],
    [
      'a CSV file',
      'calls.csv',
      async () => Buffer.from('date,caller,amount\n2026-03-03,012-000-111,5000\n', 'utf8'),
    ],
    ['a PDF whose text holds the number', 'calls.pdf', async () => aPdfSaying(text)],
    [
      'a ZIP holding a text file (stored)',
      'extract.zip',
      async () => aZip([['calls.txt', Buffer.from(text, 'utf8')]], false),
    ],
  ];

  for (const [name, filename, bytes] of files) {
    it(`${name} attached to a case shared with MY: refused, and MY reads no number`, async () => {
      const body = await bytes();
      const attached = await upload(t, tf['kr.officer'], `/cases/${sharedCase}/attachments`, body, filename);
      const read = await myDownload(attached.status === 201 ? attached.body.id : undefined);
      expect({ attached: attached.status, myReadsTheNumber: namesTheNumber(read) }).toEqual({
        attached: 409,
        myReadsTheNumber: false,
      });
    });

    it(`${name} on a KR person, then a case holding the person shared with MY: refused, and MY reads no number`, async () => {
      const person = (
        await tf['kr.officer']
          .post('/persons', { names: [{ full: `LEE ${filename}`, script: 'latin', kind: 'primary' }] })
          .expect(201)
      ).body;
      const attached = await upload(
        t,
        tf['kr.officer'],
        `/persons/${person.id}/attachments`,
        await bytes(),
        filename,
      ).expect(201);
      const kase = (
        await tf['kr.officer']
          .post('/cases', { title: 'Plain case', persons: [{ personId: person.id, role: 'suspect' }] })
          .expect(201)
      ).body;
      const shared = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
      const read = await myDownload(attached.body.id);
      expect({ shared: shared.status, myReadsTheNumber: namesTheNumber(read) }).toEqual({
        shared: 409,
        myReadsTheNumber: false,
      });
    });
  }
});

/** A minimal PDF whose content stream shows `text` (uncompressed, as many scanners' OCR layers are). */
function aPdfSaying(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/\n/g, ' ')}) Tj ET`;
  return Buffer.from(
    `%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n` +
      `2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n` +
      `3 0 obj <</Type /Page /Parent 2 0 R /Contents 4 0 R>> endobj\n` +
      `4 0 obj <</Length ${stream.length}>> stream\n${stream}\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n`,
  );
}

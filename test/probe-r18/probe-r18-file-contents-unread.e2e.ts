import { randomBytes } from 'node:crypto';
import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip, receivedNumberAndCaseSharedWithMy } from '../probe-r16/r16-support';
import { ascii85, asciiHex, deflateSync, gzipSync, pdfWith, SAYS, showing, zipOf } from './r18-support';

/**
 * Probe r18: the file-contents rule (17d5cfc, d8292c8) reads a file's text for numbers KR received, but
 * a KR officer can keep that text where `readable-text.ts` does not look, while any PDF reader or unzip
 * tool shows it. KH gives KR `+85512000111` under AMBER (`personKhGaveKr`); KR attaches each file below to
 * a KR case already shared with MY. Expected: 409 release-refused (or 422 when the file cannot be read
 * through), as for the same number in plain text. Actual: 201, and MY downloads it.
 */
describe('Probe r18: a received number kept where the file reader does not look', () => {
  let t: TestApp;
  let tf: TaskForce;
  let sharedCase: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    sharedCase = await receivedNumberAndCaseSharedWithMy(tf, 'SOK Unread', 'Compound ledgers r18');
  });
  afterAll(() => t?.close());

  const text = Buffer.from(`Call log\n${SAYS}\n`);
  const deflatedPdf = () => pdfWith(deflateSync(showing(SAYS)), ' /Filter /FlateDecode');

  const files: Array<[string, string, () => Promise<Buffer>]> = [
    // PDF strings: `\061` is `1`, a backslash before a line break joins the lines (PDF 32000-1 §7.3.4.2).
    [
      'a PDF string whose digits are octal escapes',
      'octal.pdf',
      async () => pdfWith(showing('Subscriber +855 \\061\\062 000 111 paid')),
    ],
    [
      'a PDF string continued over a line break',
      'continued.pdf',
      async () => pdfWith(showing('Subscriber +855 1\\\n2 000 111 paid')),
    ],
    // Stream filters other than FlateDecode (§7.4).
    [
      'a PDF content stream under /ASCIIHexDecode',
      'hex.pdf',
      async () => pdfWith(asciiHex(showing(SAYS)), ' /Filter /ASCIIHexDecode'),
    ],
    [
      'a PDF content stream under /ASCII85Decode',
      'a85.pdf',
      async () => pdfWith(ascii85(showing(SAYS)), ' /Filter /ASCII85Decode'),
    ],
    [
      'a PDF content stream under [/ASCII85Decode /FlateDecode]',
      'chain.pdf',
      async () => pdfWith(ascii85(deflateSync(showing(SAYS))), ' /Filter [/ASCII85Decode /FlateDecode]'),
    ],
    // The reader finds streams by the word `stream`: one in a string before the page throws it off.
    [
      'a PDF whose Info (before the page) says "Upstream Press"',
      'upstream.pdf',
      async () =>
        pdfWith(
          deflateSync(showing(SAYS)),
          ' /Filter /FlateDecode',
          '5 0 obj <</Producer (Upstream Press)>> endobj\n',
        ),
    ],
    // A content stream inflating past INFLATED_MAX (64 MB) is read as its compressed bytes.
    [
      'a PDF content stream that inflates past 64 MB (65 KB on the wire)',
      'long.pdf',
      async () =>
        pdfWith(
          deflateSync(Buffer.concat([showing(SAYS), Buffer.alloc(65 * 1024 * 1024, 0x20)])),
          ' /Filter /FlateDecode',
        ),
    ],
    // Text: each line is read alone.
    [
      'a text file with the number wrapped over two lines',
      'wrapped.txt',
      async () => Buffer.from('Subscriber +855 12\n000 111 paid\n'),
    ],
    [
      'a mail (.txt) in quoted-printable with a soft line break inside the number',
      'mail.txt',
      async () =>
        Buffer.from(
          'Content-Transfer-Encoding: quoted-printable\r\n\r\nSubscriber +855 12 0=\r\n00 111 paid\r\n',
        ),
    ],
    // ZIP: what unzip -l / zipinfo show but the reader does not read.
    [
      'a ZIP whose archive comment holds the number',
      'comment.zip',
      async () => zipOf([['readme.txt', Buffer.from('see comment')]], { comment: SAYS }),
    ],
    [
      'a ZIP whose entry comment holds the number',
      'entry-comment.zip',
      async () => zipOf([['readme.txt', Buffer.from('see comment'), { fileComment: SAYS }]]),
    ],
    [
      'a ZIP four deep (zip/zip/zip/zip/calls.txt)',
      'deep.zip',
      async () =>
        aZip([
          ['l1.zip', await aZip([['l2.zip', await aZip([['l3.zip', await aZip([['calls.txt', text]])]])]])],
        ]),
    ],
    ['a ZIP holding calls.txt.gz', 'gz.zip', async () => aZip([['calls.txt.gz', gzipSync(text)]])],
    [
      'a ZIP holding a ZIP with a stub before it (self-extracting; unzip reads it)',
      'sfx.zip',
      async () =>
        aZip([['extract.exe', Buffer.concat([Buffer.alloc(512, 0x4d), await aZip([['calls.txt', text]])])]]),
    ],
    [
      'a ZIP holding a PDF with a blank line before %PDF- (readers accept it)',
      'pdf-in-zip.zip',
      async () => aZip([['calls.pdf', Buffer.concat([Buffer.from('\r\n'), deflatedPdf()])]]),
    ],
    [
      'a ZIP holding a ZIP over 32 MB unpacked (a padding entry, and calls.txt deflated)',
      'big-inner.zip',
      async () => aZip([['inner.zip', await innerWithPadding()]]),
    ],
  ];

  async function innerWithPadding(): Promise<Buffer> {
    return zipOf([
      // Bytes that do not deflate: zeros made the outer entry a 1,000:1 bomb, which the ZIP structure rule
      // refuses before the weighing reads the inner ZIP this case is about (zip-rules).
      ['pad.bin', randomBytes(33 * 1024 * 1024), { compress: false }],
      ['calls.txt', text],
    ]);
  }

  for (const [name, filename, bytes] of files)
    it(`${name}: refused (409 for the number, or 422 where it cannot be read through), not attached for MY to read`, async () => {
      const attached = await upload(
        t,
        tf['kr.officer'],
        `/cases/${sharedCase}/attachments`,
        await bytes(),
        filename,
      );
      expect([`409 ${RELEASE_REFUSED}`, '422 urn:case-desk:problem:attachment-unreadable']).toContain(
        `${attached.status} ${String(attached.body.type)}`,
      );
      const listed = (await tf['my.officer'].get(`/cases/${sharedCase}/attachments`).expect(200)).body;
      expect((listed.items ?? listed).map((f: { filename: string }) => f.filename)).not.toContain(filename);
    });

  it('a stored ZIP entry whose declared sizes are shorter than its bytes: refused, not read only as far as declared', async () => {
    const zip = await aZip([['calls.txt', text]], false);
    // Sizes in the local header (18, 22) and the central directory (20, 24): 10 bytes, `Call log\nS`.
    zip.writeUInt32LE(10, 18);
    zip.writeUInt32LE(10, 22);
    const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(10, cd + 20);
    zip.writeUInt32LE(10, cd + 24);
    expect(zip.toString('latin1')).toContain('+855 12 000 111'); // what MY's download holds, as bytes
    const res = await upload(t, tf['kr.officer'], `/cases/${sharedCase}/attachments`, zip, 'lying.zip');
    expect([409, 422]).toContain(res.status);
  });
});

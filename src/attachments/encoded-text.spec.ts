import { Readable } from 'node:stream';
import { aCidPdf, glyphHex, TO_UNICODE } from '../../test/support/cid-pdf';
import { aZip } from '../../test/support/zip-files';
import { quotedPrintable } from './mail-parts';
import { readableLines, UnreadableContentError } from './readable-text';
import type { AttachmentStorage, ByteRange } from './storage/attachment-storage';

function storageOf(bytes: Buffer): AttachmentStorage {
  return {
    read: async (_sha: string, range?: ByteRange) =>
      Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]),
  } as unknown as AttachmentStorage;
}

async function textOf(bytes: Buffer, mediaType: string): Promise<string> {
  const lines: string[] = [];
  for await (const line of readableLines(storageOf(bytes), 'a'.repeat(64), mediaType, bytes.length))
    lines.push(line);
  return lines.join('\n');
}

/** How long reading `bytes` takes, and how it ends: read, or refused as unreadable. */
async function timed(bytes: Buffer, mediaType: string): Promise<{ ms: number; ended: string }> {
  const started = Date.now();
  const ended = await textOf(bytes, mediaType).then(
    () => 'read',
    (error: Error) => (error instanceof UnreadableContentError ? 'unreadable' : `failed: ${error.message}`),
  );
  return { ms: Date.now() - started, ended };
}

describe('a PDF whose text is drawn in a CID font (Type0, Identity-H, a ToUnicode CMap)', () => {
  it('reads `Tj` hex strings of glyph numbers through the font’s CMap, uncompressed and deflated', async () => {
    const content = `BT /F1 11 Tf 72 700 Td ${glyphHex('Account 0071-2233-4410')} Tj ET`;
    expect(glyphHex('0071')).toBe('<0013 0013 001A 0014>');
    for (const compressed of [false, true])
      expect(await textOf(aCidPdf(content, { compressed }), 'application/pdf')).toContain(
        'Account 0071-2233-4410',
      );
  });

  it('joins a TJ array’s glyph strings, with fonts kept in an object stream as Word writes them', async () => {
    const content =
      `BT /F1 11 Tf 72 700 Td [${glyphHex('Phone +855 ')} -12 ${glyphHex('77 500')} 8 ${glyphHex(' 303')}] TJ ET\n` +
      `BT /F1 11 Tf 72 680 Td [${glyphHex('Acct ')}-250${glyphHex('0071 2233 4411')}] TJ ET`;
    const text = await textOf(aCidPdf(content, { objectStream: true }), 'application/pdf');
    expect(text).toContain('Phone +855 77 500 303');
    expect(text).toContain('Acct 0071 2233 4411');
  });

  it('reads a CID PDF inside a ZIP, and leaves text in a font without a map as its bytes', async () => {
    const content = `BT /F2 9 Tf (Ref 77) Tj ET BT /F1 11 Tf ${glyphHex('0071-2233-4412')} Tj ET`;
    const zip = await aZip([['statement.pdf', aCidPdf(content)]]);
    const text = await textOf(zip, 'application/zip');
    expect(text).toContain('0071-2233-4412');
    expect(text).toContain('Ref 77');
  });

  it('reads each page’s strings in the font its own resources name, two fonts both called /F1', async () => {
    const stream = (n: number, text: string) =>
      `${n} 0 obj << /Length ${text.length} >> stream\n${text}\nendstream endobj\n`;
    const drawn = `BT /F1 11 Tf ${glyphHex('0071223344')} Tj ET`;
    const pdf = Buffer.from(
      '%PDF-1.7\n' +
        '3 0 obj << /Type /Page /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >> endobj\n' +
        '10 0 obj << /Type /Page /Resources << /Font << /F1 9 0 R >> >> /Contents [11 0 R] >> endobj\n' +
        stream(4, drawn) +
        stream(11, drawn) +
        '5 0 obj << /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 7 0 R >> endobj\n' +
        '9 0 obj << /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 8 0 R >> endobj\n' +
        stream(7, TO_UNICODE) +
        stream(
          8,
          '1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0013> <001C> <0041> endbfrange',
        ) +
        '%%EOF\n',
      'latin1',
    );
    const text = await textOf(pdf, 'application/pdf');
    expect(text).toContain('0071223344');
    expect(text).toContain('AAHBCCDDEE');
  });

  it('hostile: a range over every code costs what it is written in; 300,000 ranges are refused; a long mapping stays in the text budget', async () => {
    const content = `BT /F1 11 Tf ${glyphHex('0071')} Tj ET`;
    const wide = TO_UNICODE.replace(
      '3 beginbfrange',
      '1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange 3 beginbfrange',
    );
    expect(await timed(aCidPdf(content, { cmap: wide }), 'application/pdf')).toEqual({
      ms: expect.any(Number),
      ended: 'read',
    });
    const many = TO_UNICODE.replace(
      '3 beginbfrange',
      `300000 beginbfrange ${'<0000> <FFFF> <0030>\n'.repeat(300_000)} endbfrange 3 beginbfrange`,
    );
    const refused = await timed(aCidPdf(content, { cmap: many }), 'application/pdf');
    expect(refused.ended).toBe('unreadable');
    expect(refused.ms).toBeLessThan(10_000);
    // Each glyph a 16-character string: 32 MB of glyph numbers would show 256 MB of text.
    const longest = TO_UNICODE.replace(
      '4 beginbfchar',
      `1 beginbfchar <0013> <${'0030'.repeat(400)}> endbfchar 4 beginbfchar`,
    );
    const bomb = aCidPdf(`BT /F1 11 Tf <${'0013'.repeat(8 * 1024 * 1024)}> Tj ET`, { cmap: longest });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const spent = await timed(bomb, 'application/pdf');
    expect(spent.ended).toBe('unreadable');
    expect(spent.ms).toBeLessThan(20_000);
  }, 60_000);

  it('hostile: a chain of 50,000 resources dictionaries each naming the next is read, not followed to the end (was a stack overflow)', async () => {
    let chain = '';
    for (let n = 10; n < 50_010; n++) chain += `${n} 0 obj << /Resources ${n + 1} 0 R >> endobj\n`;
    const stream = (n: number, text: string) =>
      `${n} 0 obj << /Length ${text.length} >> stream\n${text}\nendstream endobj\n`;
    const pdf = Buffer.from(
      '%PDF-1.7\n' +
        // Control: a page whose resources are an object of their own still has its font read.
        '3 0 obj << /Type /Page /Resources 6 0 R /Contents 4 0 R >> endobj\n' +
        '6 0 obj << /Font << /F1 5 0 R >> >> endobj\n' +
        '8 0 obj << /Type /Page /Resources 10 0 R /Contents 9 0 R >> endobj\n' +
        chain +
        stream(4, `BT /F1 11 Tf ${glyphHex('0071223344')} Tj ET`) +
        stream(9, `BT /F1 11 Tf ${glyphHex('5566')} Tj ET`) +
        '5 0 obj << /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 7 0 R >> endobj\n' +
        stream(7, TO_UNICODE) +
        '%%EOF\n',
      'latin1',
    );
    const text = await textOf(pdf, 'application/pdf');
    expect(text).toContain('0071223344');
  });

  it('hostile: objects without ends and CMap blocks without ends are read in one pass', async () => {
    const objects = Buffer.from('%PDF-1.7\n' + '1 0 obj << /Contents 4 0 R '.repeat(200_000) + '\n%%EOF\n');
    const cmap = TO_UNICODE + ' beginbfrange <0000>'.repeat(200_000);
    // 50,000 pages naming one large object for their resources, and as their parent: it is read once.
    const large = `90000 0 obj << /Font << ${'/F0 9 0 R '.repeat(200_000)}>> >> endobj\n`;
    let pages = '';
    for (let n = 100; n < 50_100; n++)
      pages += `${n} 0 obj << /Parent 90000 0 R /Resources 90000 0 R /Contents 4 0 R >> endobj\n`;
    const shared = aCidPdf(`BT /F1 11 Tf ${glyphHex('0071')} Tj ET`).toString('latin1');
    const sharing = Buffer.from(shared.replace('%PDF-1.7\n', `%PDF-1.7\n${large}${pages}`), 'latin1');
    for (const pdf of [objects, aCidPdf(`BT /F1 11 Tf ${glyphHex('0071')} Tj ET`, { cmap }), sharing]) {
      const read = await timed(pdf, 'application/pdf');
      expect(read.ended).toBe('read');
      expect(read.ms).toBeLessThan(10_000);
    }
  }, 60_000);
});

describe('an e-mail saved as a file', () => {
  const mail = (headers: string, body: string) =>
    Buffer.from(
      `Received: from mx.example.kh\r\nFrom: =?utf-8?B?${Buffer.from('Phone 077 500 404').toString('base64')}?= <a@example.kh>\r\n` +
        `Subject: transfer\r\nMIME-Version: 1.0\r\n${headers}\r\n\r\n${body}`,
    );

  it('reads a base64 body, a header’s encoded words, and quoted-printable with a soft break inside a number', async () => {
    const base64 = Buffer.from('Beneficiary account 0071-2233-4413\r\n').toString('base64');
    expect(await textOf(mail('Content-Transfer-Encoding: base64', base64), 'text/plain')).toContain(
      'account 0071-2233-4413',
    );
    const qp = 'Beneficiary account: 0071-2233-=\r\n4414 at ACLEDA =E2=80=94 thanks=\r\n';
    const text = await textOf(mail('Content-Transfer-Encoding: quoted-printable', qp), 'text/plain');
    expect(text).toContain('0071-2233-4414 at ACLEDA — thanks');
    expect(text).toContain('Phone 077 500 404');
  });

  it('reads each part of a multipart message by what it is: text in base64, a PDF attachment, a forwarded message', async () => {
    const forwarded = mail(
      'Content-Transfer-Encoding: base64',
      Buffer.from('Passport N55544433').toString('base64'),
    );
    const body = [
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'See the account 0071-22=',
      '33-4415.',
      '--b1',
      'Content-Type: application/pdf; name=statement.pdf',
      'Content-Transfer-Encoding: base64',
      '',
      aCidPdf(`BT /F1 11 Tf ${glyphHex('0071-2233-4416')} Tj ET`)
        .toString('base64')
        .replace(/.{76}/g, '$&\r\n'),
      '--b1',
      'Content-Type: message/rfc822',
      'Content-Transfer-Encoding: base64',
      '',
      forwarded.toString('base64'),
      '--b1--',
    ].join('\r\n');
    const text = await textOf(mail('Content-Type: multipart/mixed; boundary="b1"', body), 'text/plain');
    expect(text).toContain('0071-2233-4415');
    expect(text).toContain('0071-2233-4416');
    expect(text).toContain('Passport N55544433');
  });

  it('hostile: parts nested 10,000 deep and headers without bodies read in one pass; e-mails in e-mails four deep refused', async () => {
    let nested = 'Account 0071-2233-4417';
    let layered = '';
    for (let i = 0; i < 10_000; i++)
      layered += `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=30=30\r\n`;
    const read = await timed(
      mail('Content-Type: multipart/mixed; boundary="b0"', layered + nested),
      'text/plain',
    );
    expect(read).toEqual({ ms: expect.any(Number), ended: 'read' });
    expect(read.ms).toBeLessThan(10_000);
    const headless = mail('X: y', 'Content-Transfer-Encoding: base64\n'.repeat(300_000));
    const once = await timed(headless, 'text/plain');
    expect(once.ended).toBe('read');
    expect(once.ms).toBeLessThan(10_000);
    for (let i = 0; i < 4; i++)
      nested = mail('Content-Transfer-Encoding: base64', Buffer.from(nested).toString('base64')).toString();
    expect((await timed(Buffer.from(nested), 'text/plain')).ended).toBe('unreadable');
  }, 60_000);

  it('quoted-printable: what is no escape stays as written', () => {
    expect(quotedPrintable('a=3Db = c=\n d=ZZ é').toString()).toBe('a=b = c d=ZZ é');
  });
});

describe('JSON with its characters written as \\u escapes', () => {
  it('reads the escapes when a file looks like JSON, an escaped backslash as one', async () => {
    const json = Buffer.from(
      '{"transfers":[{"account":"\\u0030\\u0030\\u0037\\u0031\\u00a02233\\u00a04418","note":"a\\\\u0030"}]}',
    );
    const text = await textOf(json, 'text/plain');
    expect(text).toContain('0071\u00a02233\u00a04418');
    expect(text).toContain('a\\u0030');
    const zipped = await textOf(await aZip([['export.json', json]]), 'application/zip');
    expect(zipped).toContain('0071\u00a02233\u00a04418');
  });

  it('hostile: a million `[` deep, then escapes, reads in one pass within the text budget', async () => {
    const deep = Buffer.from('['.repeat(1_000_000) + '"\\u0030'.repeat(1_000_000) + ']'.repeat(1_000_000));
    const read = await timed(deep, 'text/plain');
    expect(read.ended).toBe('read');
    expect(read.ms).toBeLessThan(10_000);
  }, 30_000);
});

describe('a reader that hits the engine’s limits', () => {
  const failing = (error: Error): AttachmentStorage =>
    ({
      read: async () =>
        new Readable({
          read() {
            this.destroy(error);
          },
        }),
    }) as unknown as AttachmentStorage;
  const outcome = async (error: Error) => {
    try {
      for await (const _ of readableLines(failing(error), 'a'.repeat(64), 'text/plain', 10));
      return 'read';
    } catch (thrown) {
      return thrown instanceof UnreadableContentError ? 'unreadable' : (thrown as Error).constructor.name;
    }
  };

  it('makes the file unreadable on a RangeError (a stack or string too large), and lets other errors through', async () => {
    expect(await outcome(new RangeError('Maximum call stack size exceeded'))).toBe('unreadable');
    expect(await outcome(new Error('storage is out'))).toBe('Error');
  });
});

import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { aZip as zipOf } from '../../test/support/zip-files';
import { shownText } from './pdf-text';
import { readableLines, readsAgain, UnreadableContentError } from './readable-text';
import type { AttachmentStorage, ByteRange } from './storage/attachment-storage';

/** A storage holding one file, read whole or by range. */
function storageOf(bytes: Buffer): AttachmentStorage {
  return {
    read: async (_sha: string, range?: ByteRange) =>
      Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]),
  } as unknown as AttachmentStorage;
}

async function linesOf(bytes: Buffer, mediaType: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readableLines(storageOf(bytes), 'a'.repeat(64), mediaType, bytes.length))
    lines.push(line);
  return lines;
}

describe('the readable lines of a file', () => {
  it('reads text in overlapping windows that keep every number whole, across line breaks too', async () => {
    const long = `${'x'.repeat(4090)} +855 12 000 111 ${'y'.repeat(5000)}`;
    const lines = await linesOf(
      Buffer.from(`first line\r\n${long}\ncall +855 12\n000 111\nlast`),
      'text/plain',
    );
    expect(lines[0]!.startsWith('first line')).toBe(true);
    expect(lines.at(-1)!.endsWith('last')).toBe(true);
    expect(lines.some((l) => l.includes('+855 12 000 111'))).toBe(true);
    expect(lines.some((l) => l.includes('+855 12\n000 111'))).toBe(true);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(4096);
  });

  it('reads a PDF’s compressed content streams, with the strings a TJ array spaces apart joined', async () => {
    const content = deflateSync('BT [(Subscriber +855 12) -250 (000 111)] TJ ET');
    const pdf = Buffer.concat([
      Buffer.from(`%PDF-1.7\n4 0 obj <</Length ${content.length} /Filter /FlateDecode>> stream\n`, 'latin1'),
      content,
      Buffer.from('\nendstream endobj\n%%EOF\n', 'latin1'),
    ]);
    const lines = await linesOf(pdf, 'application/pdf');
    expect(lines.join('\n')).toContain('Subscriber +855 12000 111');
  });

  it('reads a PDF’s hexadecimal strings as the bytes they are', async () => {
    const shown = Buffer.from('+855 12 000 111', 'latin1').toString('hex').toUpperCase();
    const content = `BT [<${shown}>] TJ ET`;
    const pdf = Buffer.from(
      `%PDF-1.7\n4 0 obj <</Length ${content.length}>> stream\n${content}\nendstream endobj\n%%EOF\n`,
      'latin1',
    );
    expect((await linesOf(pdf, 'application/pdf')).join('\n')).toContain('+855 12 000 111');
  });

  it('reads a ZIP’s entry names, and the text of its entries and of the ZIPs inside it', async () => {
    const inner = await zipOf([['inner.csv', Buffer.from('a,b\n012-000-111,5\n')]]);
    const zip = await zipOf([
      ['photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])],
      ['notes.txt', Buffer.from('paid by +855 12 000 111')],
      ['inner.zip', inner],
    ]);
    const lines = await linesOf(zip, 'application/zip');
    expect(lines).toEqual(
      expect.arrayContaining(['photo.jpg', 'notes.txt', 'paid by +855 12 000 111', 'inner.zip', 'inner.csv']),
    );
    expect(lines.join('\n')).toContain('012-000-111,5');
  });

  it('reads the strings of separate text operators with a space between, and their escapes', () => {
    expect(shownText('BT (+855 12) Tj 40 0 Td (\\060\\060\\060 111) Tj ET')).toContain('+855 12 000 111');
  });

  it('reads a content stream of a close parenthesis and a million digits in one pass (no backtracking)', () => {
    expect(shownText(`)${'1'.repeat(1_000_000)}(`)).toBe(' ');
  });

  it('keeps a number written with long runs of spaces whole across a window’s edge', async () => {
    const spaced = ['+855', '12', '000', '111'].join(' '.repeat(40));
    const line = `${'x'.repeat(4080)} ${spaced} ${'y'.repeat(5000)}`;
    const lines = await linesOf(Buffer.from(line), 'text/plain');
    expect(lines.some((l) => l.replace(/ +/g, ' ').includes('+855 12 000 111'))).toBe(true);
  });

  it('reads a run of twelve million separators in a PDF’s part or a ZIP’s entry without running out of stack, and the number after it', async () => {
    // One string of them reached the run-collapsing pattern whole: "Maximum call stack size exceeded".
    const run = Buffer.alloc(12_000_000, 0x20);
    const number = Buffer.from(' call +855 12 000 111');
    const content = deflateSync(
      Buffer.concat([
        Buffer.from('BT <'),
        Buffer.from(run.toString('hex')),
        Buffer.from('> Tj ('),
        number,
        Buffer.from(') Tj ET'),
      ]),
    );
    const pdf = Buffer.concat([
      Buffer.from(`%PDF-1.7\n4 0 obj <</Length ${content.length} /Filter /FlateDecode>> stream\n`, 'latin1'),
      content,
      Buffer.from('\nendstream endobj\n%%EOF\n', 'latin1'),
    ]);
    expect((await linesOf(pdf, 'application/pdf')).join('\n')).toContain('+855 12 000 111');
    const zip = await zipOf([['calls.txt', Buffer.concat([run, number])]]);
    expect((await linesOf(zip, 'application/zip')).join('\n')).toContain('+855 12 000 111');
  });

  it('reads a ZIP’s Windows-1252 and UTF-16 text entries', async () => {
    const zip = await zipOf([
      ['cp1252.csv', Buffer.from('caf\xe9,012-000-111\n', 'latin1')],
      ['utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('tel 012-000-111', 'utf16le')])],
    ]);
    const lines = await linesOf(zip, 'application/zip');
    expect(lines.join('\n')).toContain('café,012-000-111');
    expect(lines.join('\n')).toContain('tel 012-000-111');
  });

  it('refuses what it cannot read through: a damaged ZIP, ZIPs inside ZIPs inside ZIPs inside a ZIP', async () => {
    await expect(
      linesOf(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 7)]), 'application/zip'),
    ).rejects.toThrow(UnreadableContentError);
    const deep = await zipOf([
      [
        'b.zip',
        await zipOf([['c.zip', await zipOf([['d.zip', await zipOf([['e.txt', Buffer.from('x')]])]])]]),
      ],
    ]);
    await expect(linesOf(deep, 'application/zip')).rejects.toThrow(UnreadableContentError);
  });

  it('refuses a PDF whose streams inflate past 128 MB together, each within its own bound (a 1 MB upload held the server for a minute)', async () => {
    const stream = deflateSync(Buffer.alloc(48 * 1024 * 1024, 'A'));
    const pdfOf = (count: number) =>
      Buffer.concat([
        Buffer.from('%PDF-1.7\n', 'latin1'),
        ...Array.from({ length: count }, (_, i) => [
          Buffer.from(`${i + 4} 0 obj <</Length ${stream.length} /Filter /FlateDecode>> stream\n`, 'latin1'),
          stream,
          Buffer.from('\nendstream endobj\n', 'latin1'),
        ]).flat(),
        Buffer.from('BT (+855 12 000 111) Tj ET\n%%EOF\n', 'latin1'),
      ]);
    expect(pdfOf(3).length).toBeLessThan(1024 * 1024);
    await expect(linesOf(pdfOf(3), 'application/pdf')).rejects.toThrow(
      /inflate past 134217728 bytes together/,
    );
    // Two of them (96 MB) are read through, and what follows them.
    expect((await linesOf(pdfOf(2), 'application/pdf')).join('\n')).toContain('+855 12 000 111');
  });

  it('reads ASCII85 and ASCIIHex streams, and refuses one that decodes past the bounds without building it (a 64 KB PDF ended the server)', async () => {
    const pdfOf = (stream: Buffer, filters: string) =>
      Buffer.concat([
        Buffer.from(`%PDF-1.7\n4 0 obj <</Length ${stream.length} /Filter ${filters}>> stream\n`, 'latin1'),
        stream,
        Buffer.from('\nendstream endobj\n%%EOF\n', 'latin1'),
      ]);
    // `BT (+855 12 000 111) Tj ET` in base 85 and in hexadecimal, with white space, `z` and a short last group.
    const shown = Buffer.from('BT (+855 12 000 111) Tj ET', 'latin1');
    const base85 = (bytes: Buffer) => {
      let text = '';
      for (let i = 0; i < bytes.length; i += 4) {
        const group = Buffer.concat([bytes.subarray(i, i + 4), Buffer.alloc(4)]).subarray(0, 4);
        const value = group.readUInt32BE(0);
        const taken = Math.min(4, bytes.length - i);
        if (value === 0 && taken === 4) {
          text += 'z';
          continue;
        }
        const digits = Array.from({ length: 5 }, (_, d) =>
          String.fromCharCode(33 + (Math.floor(value / 85 ** (4 - d)) % 85)),
        );
        text += digits.slice(0, taken + 1).join('');
      }
      return text;
    };
    const withZeros = Buffer.concat([Buffer.alloc(8), shown]);
    for (const pdf of [
      pdfOf(Buffer.from(` <~${base85(withZeros).replace(/(.{7})/g, '$1\n')}~>`, 'latin1'), '/ASCII85Decode'),
      pdfOf(Buffer.from(`${shown.toString('hex').replace(/(..)/g, '$1 ')}>`, 'latin1'), '/ASCIIHexDecode'),
      pdfOf(deflateSync(Buffer.from(`<~${base85(shown)}~>`, 'latin1')), '[/FlateDecode /A85]'),
    ])
      expect((await linesOf(pdf, 'application/pdf')).join('\n')).toContain('+855 12 000 111');
    const MB = 1024 * 1024;
    await expect(
      linesOf(
        pdfOf(deflateSync(Buffer.alloc(63 * MB, 'z')), '[/FlateDecode /ASCII85Decode]'),
        'application/pdf',
      ),
    ).rejects.toThrow(/a PDF stream decodes past 67108864 bytes/);
    // Within a stream's bound, but not the file's: two streams of 16 MB of `z`, 64 MB of zeros each.
    const half = pdfOf(deflateSync(Buffer.alloc(16 * MB, 'z')), '[/Fl /A85]');
    await expect(linesOf(Buffer.concat([half, half]), 'application/pdf')).rejects.toThrow(
      /its streams decode past 134217728 bytes together/,
    );
  });

  it('reads a stream shown a slice at a time as one text: a number across two slices is read whole', async () => {
    // `shownSlices` hands on what 4 MB of a stream show (probe input r10): here the first string of the
    // TJ array ends just before 4 MB, the second begins past it.
    const head = 'BT [(+855 12)';
    const content = `${' '.repeat(4 * 1024 * 1024 - head.length - 1)}${head} (000 111)] TJ ET`;
    const stream = deflateSync(Buffer.from(content, 'latin1'));
    const pdf = Buffer.concat([
      Buffer.from(`%PDF-1.7\n4 0 obj <</Length ${stream.length} /Filter /FlateDecode>> stream\n`, 'latin1'),
      stream,
      Buffer.from('\nendstream endobj\n%%EOF\n', 'latin1'),
    ]);
    const lines = await linesOf(pdf, 'application/pdf');
    expect(lines.some((line) => line.includes('+855 12000 111'))).toBe(true);
  });

  it('reads nothing of a picture', async () => {
    expect(await linesOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg')).toEqual([]);
  });
});

/** `text` as a PDF text string in UTF-16BE with its mark: `(þÿ…)` with `(`, `)` and `\` escaped, or `<FEFF…>`. */
const utf16Literal = (text: string) =>
  `(${Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
    .toString('latin1')
    .replace(/[()\\]/g, '\\$&')})`;
const utf16Hex = (text: string) =>
  `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;

/** A PDF of `objects` (uncompressed) and a content stream deflated, with `trailer`'s entries. */
function pdfOfObjects(objects: string, content = 'BT (Statement) Tj ET', trailer = '/Root 1 0 R'): Buffer {
  const stream = deflateSync(Buffer.from(content, 'latin1'));
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.7\n${objects}4 0 obj <</Length ${stream.length} /Filter /FlateDecode>> stream\n`,
      'latin1',
    ),
    stream,
    Buffer.from(`\nendstream endobj\ntrailer <<${trailer}>>\n%%EOF\n`, 'latin1'),
  ]);
}

describe('a PDF’s text strings in UTF-16BE (or UTF-8) with their mark', () => {
  it('reads a title, a form field’s value and a content string written so, digits of any script as the digits they are', async () => {
    const pdf = pdfOfObjects(
      `5 0 obj <</Title ${utf16Literal('전화 +855 12 000 111 (연락처)')} /Author ${utf16Hex('담당 0071-2233-4455')}>> endobj\n` +
        `6 0 obj <</FT /Tx /T (phone) /V ${utf16Hex('ទូរស័ព្ទ +៨៥៥ ៩៥ ៣៣៣ ២២២')}>> endobj\n` +
        `7 0 obj <</V (\xef\xbb\xbfpassport \xef\xbc\xae5664\xe2\x80\x8b4249)>> endobj\n`,
      `BT ${utf16Hex('계좌 0071 2233 4466')} Tj ET`,
    );
    const text = (await linesOf(pdf, 'application/pdf')).join('\n');
    expect(text).toContain('+855 12 000 111');
    expect(text).toContain('0071-2233-4455');
    expect(text).toContain('+855 95 333 222');
    expect(text).toContain('passport N56644249');
    expect(text).toContain('0071 2233 4466');
  });

  it('reads them inside an object stream, skips a language mark, and leaves other strings as their bytes', async () => {
    const marked = `<FEFF001B006B006F001B${Buffer.from('0071-2233-4477', 'utf16le').swap16().toString('hex')}>`;
    const objects = `9 0 obj <</Title ${marked} /Subject (\xfe caf\xe9 0071-2233-4488)>>\n`;
    const stream = deflateSync(Buffer.from(`9 0 ${objects}`, 'latin1'));
    const pdf = pdfOfObjects(
      `8 0 obj <</Type /ObjStm /N 1 /First 4 /Length ${stream.length} /Filter /FlateDecode>> stream\n` +
        `${stream.toString('latin1')}\nendstream endobj\n`,
    );
    const text = (await linesOf(pdf, 'application/pdf')).join('\n');
    expect(text).toContain('0071-2233-4477');
    expect(text).toContain('\xfe caf\xe9 0071-2233-4488');
  });
});

describe('an encrypted PDF', () => {
  it('is refused as unreadable, its trailer or its cross-reference stream naming an /Encrypt dictionary', async () => {
    const encryption = '9 0 obj <</Filter /Standard /V 4 /R 4 /Length 128 /P -1028>> endobj\n';
    const cipher = 'BT (\x8f\x13\xa2\x07) Tj ET';
    for (const pdf of [
      pdfOfObjects(encryption, cipher, '/Root 1 0 R /Encrypt 9 0 R /ID [<01><01>]'),
      pdfOfObjects(encryption, cipher, '/Root 1 0 R /Encrypt <</Filter /Standard /V 2>>'),
      pdfOfObjects(
        `${encryption}10 0 obj <</Type /XRef /Size 11 /Encrypt\n9 0 R /W [1 2 1] /Length 0>> stream\n\nendstream endobj\n`,
        cipher,
      ),
      // Its trailer hidden in a stream left without `endstream`, where a reader of streams never looks.
      Buffer.from(
        pdfOfObjects(encryption, cipher, '/Root 1 0 R /Encrypt 9 0 R')
          .toString('latin1')
          .replace('endstream', ''),
        'latin1',
      ),
    ])
      await expect(linesOf(pdf, 'application/pdf')).rejects.toThrow(/it is an encrypted PDF/);
    // Only the name naming a dictionary: `/EncryptMetadata`, the word in a string, are read as any PDF.
    const plain = pdfOfObjects(
      '5 0 obj <</EncryptMetadata false /Title (/Encrypt) /Subject (on /Encrypt: see) >> endobj\n',
      'BT (+855 12 000 111) Tj ET',
    );
    expect((await linesOf(plain, 'application/pdf')).join('\n')).toContain('+855 12 000 111');
  });

  it('is refused however its trailer writes the name: a comment or any white space before the value, an escape in the name, the handler as a filter', async () => {
    const encryption = '9 0 obj <</Filter /Standard /V 4 /R 4 /Length 128 /P -1028>> endobj\n';
    const cipher = 'BT (\x8f\x11) Tj ET';
    for (const trailer of [
      `/Root 1 0 R /Encrypt%hidden\n9 0 R`,
      `/Root 1 0 R /Encrypt${' '.repeat(40)}9 0 R`,
      '/Root 1 0 R /Encr#79pt 9 0 R',
    ])
      await expect(linesOf(pdfOfObjects(encryption, cipher, trailer), 'application/pdf')).rejects.toThrow(
        /it is an encrypted PDF/,
      );
    // No /Encrypt at all, but a security handler's dictionary: refused too.
    await expect(
      linesOf(
        pdfOfObjects('9 0 obj <</Fil#74er /Standard /O <00> /U <00>>> endobj\n', cipher),
        'application/pdf',
      ),
    ).rejects.toThrow(/it is an encrypted PDF/);
  });

  it('is refused inside a ZIP too', async () => {
    const pdf = pdfOfObjects('', 'BT (x) Tj ET', '/Root 1 0 R /Encrypt 9 0 R');
    await expect(linesOf(await zipOf([['statement.pdf', pdf]]), 'application/zip')).rejects.toThrow(
      UnreadableContentError,
    );
  });
});

describe('text read again as it shows (markup, JSON, an e-mail) only when it is so', () => {
  /** The storage's reads of one text file: the file, its head, then the file again when read twice. */
  async function readsOf(text: string): Promise<number> {
    const bytes = Buffer.from(text);
    let reads = 0;
    const storage = {
      read: async (_sha: string, range?: ByteRange) => {
        reads++;
        return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
      },
    } as unknown as AttachmentStorage;
    for await (const _ of readableLines(storage, 'a'.repeat(64), 'text/plain', bytes.length));
    return reads;
  }
  const ordinary = [
    'Note: call +855 12 000 111 before noon\nPhone: +855 12 000 112\nDone.\n',
    'INFO: 2026-03-04 10:00 upload done\nWARN: retry\n',
    'Date: 2026-03-04\nOfficer: LEE\nSummary: raid at the compound\n',
    'From the desk of the liaison: the account 0071-2233-4455 is ACLEDA’s.\n',
    '{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Calibri;}} Account 0071-2233-4455\\par }\n',
    '[2026-03-04 10:00:01] transfer 0071-2233-4455\n[2026-03-04 10:00:02] done\n',
    'Case;Phone\nKR-CASE-1;+855 12 000 111\n',
  ];
  const readAgain = [
    'Received: from mx.police.gov.kh\r\nFrom: desk@police.gov.kh\r\nSubject: x\r\n\r\nbody\r\n',
    'From desk@police.gov.kh Thu Mar  4 10:00:00 2026\nFrom: desk@police.gov.kh\nTo: kr@police.go.kr\n\nbody\n',
    'From: a@b\r\nContent-Transfer-Encoding: base64\r\n\r\nQQ==\r\n',
    'Content-Transfer-Encoding: quoted-printable\r\n\r\nSubscriber +855 12 0=\r\n00 111 paid\r\n',
    'Subject: x\n=?a?b?MA?= =?a?b?MA?=\n',
    'X-Custom: y\nSubject:\n  folded\nMIME-Version: 1.0\n\nbody',
    '{"transfers":[{"to":"\\u0030"}]}',
    '\uFEFF [ {"a": 1} ]',
    '[1, 2]',
    '<p>0071&nbsp;2233</p>',
    // A MIME message whose own block is only its type: the encoded part's field is in the part (review).
    'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nQQ==\r\n--b--\r\n',
    '[1e000001, "\\u0030"]',
    `[1${' '.repeat(65)}, 2]`,
  ];

  it('reads ordinary text once: a memo’s `Note:`, a log’s `INFO:` or `[date]`, an RTF’s `{\\rtf1` are not e-mails or JSON', async () => {
    const reads = [];
    for (const text of ordinary) reads.push((await readsOf(text)) - 2);
    expect(reads).toEqual(ordinary.map(() => 0));
    expect(ordinary.map((text) => readsAgain(Buffer.from(text)))).toEqual(ordinary.map(() => false));
  });

  it('reads again what is: e-mails (two fields, or one with what the reader decodes), JSON, markup', async () => {
    expect(readAgain.map((text) => readsAgain(Buffer.from(text)))).toEqual(readAgain.map(() => true));
    expect((await readsOf(readAgain[0]!)) - 2).toBe(1);
  });
});

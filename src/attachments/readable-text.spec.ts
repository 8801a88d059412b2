import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { aZip as zipOf } from '../../test/support/zip-files';
import { shownText } from './pdf-text';
import { readableLines, UnreadableContentError } from './readable-text';
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

import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { readableLines } from './readable-text';
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

async function zipOf(entries: Array<[string, Buffer]>): Promise<Buffer> {
  const yazl = await import('yazl');
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(content, name, { compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the readable lines of a file', () => {
  it('reads text by lines, and a line too long to read at once in overlapping windows that keep every number whole', async () => {
    const long = `${'x'.repeat(4090)} +855 12 000 111 ${'y'.repeat(5000)}`;
    const lines = await linesOf(Buffer.from(`first line\r\n${long}\nlast`), 'text/plain');
    expect(lines[0]).toBe('first line');
    expect(lines.at(-1)).toBe('last');
    expect(lines.some((l) => l.includes('+855 12 000 111'))).toBe(true);
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
      expect.arrayContaining([
        'photo.jpg',
        'notes.txt',
        'paid by +855 12 000 111',
        'inner.zip',
        'inner.csv',
        '012-000-111,5',
      ]),
    );
  });

  it('reads nothing of a picture', async () => {
    expect(await linesOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg')).toEqual([]);
  });
});

import * as zlib from 'node:zlib';
import { craftedZip, CraftedEntry, zipOf } from '../../test/support/zip-files';
import { AttachmentArchiveRefusedError, AttachmentUnreadableError } from './attachment-errors';
import { openZipBuffer } from './zip-reader';
import { checkZipStructure, MAX_RATIO, pathProblem, RATIO_FROM_BYTES } from './zip-structure';

const LIMITS = { maxExpandedBytes: 1024 * 1024 * 1024 };
const text = (s: string) => Buffer.from(s, 'utf8');

/** Bytes the rule inflated while checking (what a bomb would cost), counted as zlib gives them out. */
let inflated = 0;
beforeEach(() => (inflated = 0));
function countingInflater() {
  const stream = zlib.createInflateRaw();
  const push = stream.push.bind(stream);
  stream.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (Buffer.isBuffer(chunk)) inflated += chunk.length;
    return push(chunk, encoding);
  };
  return stream;
}

/** What the rule answers for `zip`: null when it passes, else the problem's code, `zipProblem` and entry. */
async function verdict(zip: Buffer, limits = LIMITS) {
  try {
    await checkZipStructure((options) => openZipBuffer(zip, options), limits, countingInflater);
    return null;
  } catch (error) {
    if (error instanceof AttachmentArchiveRefusedError || error instanceof AttachmentUnreadableError)
      return { status: error.status, code: error.code, ...error.extensions } as Record<string, unknown>;
    throw error;
  }
}

const crafted = (...entries: CraftedEntry[]) => craftedZip(entries);
const refused = (zipProblem: string, entry?: string) => ({
  status: 422,
  code: 'attachment-archive-refused',
  zipProblem,
  ...(entry === undefined ? {} : { entry }),
});
const unreadable = (zipProblem: string, entry?: string) => ({
  status: 422,
  code: 'attachment-unreadable',
  mediaType: 'application/zip',
  zipProblem,
  ...(entry === undefined ? {} : { entry }),
});

describe('the ZIP structure rule', () => {
  it('passes an ordinary ZIP of documents: folders, deflated and stored entries, data descriptors, links inside', async () => {
    const zip = await zipOf([
      ['extract/calls.csv', text('when,number\n2026-03-01,+855 12 000 111\n'.repeat(500))],
      [
        'extract/photo.jpg',
        Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)),
        { compress: false },
      ],
      ['extract/chat.txt', text('hello\n'.repeat(1000)), { stream: true }],
      ['extract/보고서 (최종).pdf', text('%PDF-1.7\n%%EOF\n')],
      ['README.txt', Buffer.alloc(0)],
    ]);
    expect(await verdict(zip)).toBeNull();
    expect(
      await verdict(
        crafted(
          { name: 'a/file.txt', data: text('x') },
          { name: 'a/link', data: text('file.txt'), link: true },
        ),
      ),
    ).toBeNull();
  });

  it.each([
    ['../../etc/evil.txt', 'climbs out with ".."'],
    ['docs/../../evil.txt', 'climbs out with ".."'],
    ['/etc/evil.txt', 'is absolute'],
    ['//server/share/evil.txt', 'is absolute'],
    ['C:/Windows/evil.txt', 'begins with a drive letter'],
    ['c:evil.txt', 'begins with a drive letter'],
    ['..\\..\\evil.txt', 'holds a backslash'],
    ['docs\\evil.txt', 'holds a backslash'],
    ['docs/.. /evil.txt', 'has a segment of dots or spaces only'],
    ['docs/.../evil.txt', 'has a segment of dots or spaces only'],
    ['evil.sh\u0000.txt', 'holds a control character'],
    ['line\nbreak.txt', 'holds a control character'],
    ['./', 'names nothing'],
  ])('refuses an entry path %j (%s)', async (name, problem) => {
    expect(pathProblem(name)).toBe(problem);
    expect(await verdict(crafted({ name: 'ok.txt', data: text('fine') }, { name, data: text('x') }))).toEqual(
      refused('unsafe-path', name),
    );
  });

  it('refuses a hostile path in the Unicode Path field that unzip prefers to the plain name', async () => {
    const zip = await zipOf([['aaaaaaaaaaaaaaaa.txt', text('x')]]);
    // Info-ZIP's 0x7075 field: version 1, the CRC of the plain name, then the name unzip uses.
    const plain = Buffer.from('aaaaaaaaaaaaaaaa.txt');
    const field = Buffer.concat([
      Buffer.from([0x75, 0x70, 0, 0, 1, 0, 0, 0, 0]),
      Buffer.from('../../evil.txt'),
    ]);
    field.writeUInt16LE(field.length - 4, 2);
    field.writeUInt32LE(zlib.crc32(plain), 5);
    const withField = withCentralExtraField(zip, field);
    expect(await verdict(withField)).toEqual(refused('unsafe-path', '../../evil.txt'));
  });

  it.each([
    ['the same name twice', 'report.pdf', 'report.pdf'],
    ['names equal but for case', 'Report.PDF', 'report.pdf'],
    ['NFC and NFD of one name', 'r\u00e9sum\u00e9.txt', 're\u0301sume\u0301.txt'],
    ['a trailing dot Windows drops', 'report.pdf', 'report.pdf.'],
    ['a file where a folder must be', 'evidence', 'evidence/calls.txt'],
    ['a folder where a file is', 'evidence/calls.txt', 'Evidence'],
    ['"./" before a name', 'calls.txt', './calls.txt'],
  ])('refuses two entries that extract onto one path: %s', async (_what, first, second) => {
    expect(
      await verdict(crafted({ name: first, data: text('one') }, { name: second, data: text('two') })),
    ).toEqual(refused('same-path', second));
  });

  it('passes names that differ by more than case (and folders named twice)', async () => {
    expect(
      await verdict(
        crafted(
          { name: 'a/', data: Buffer.alloc(0) },
          { name: 'a/', data: Buffer.alloc(0) },
          { name: 'a/one.txt', data: text('1') },
          { name: 'a/one.txt.bak', data: text('1') },
          { name: 'b/one.txt', data: text('1') },
        ),
      ),
    ).toBeNull();
  });

  it('refuses headers whose sizes lie, data that fails its CRC or does not inflate', async () => {
    const data = text('Call log\n+855 12 000 111\n'.repeat(100));
    expect(await verdict(crafted({ name: 'calls.txt', data, declaredSize: 10 }))).toEqual(
      unreadable('size-mismatch', 'calls.txt'),
    );
    expect(await verdict(crafted({ name: 'calls.txt', data, declaredSize: data.length + 1 }))).toEqual(
      unreadable('size-mismatch', 'calls.txt'),
    );
    expect(await verdict(crafted({ name: 'calls.txt', data, deflate: false, declaredSize: 10 }))).toEqual(
      unreadable('size-mismatch', 'calls.txt'),
    );
    expect(await verdict(crafted({ name: 'calls.txt', data, crc: 1234 }))).toEqual(
      unreadable('damaged-data', 'calls.txt'),
    );
    const flipped = (bytes: Buffer) => ((bytes[0] ^= 0xff), bytes);
    expect(await verdict(crafted({ name: 'calls.txt', data, damage: flipped }))).toEqual(
      unreadable('damaged-data', 'calls.txt'),
    );
    expect(await verdict(crafted({ name: 'calls.txt', data, deflate: false, damage: flipped }))).toEqual(
      unreadable('damaged-data', 'calls.txt'),
    );
    // Compressed bytes the inflation never reads: room for something else than what the headers say.
    const padded = (bytes: Buffer) => Buffer.concat([bytes, Buffer.from('hidden')]);
    expect(await verdict(crafted({ name: 'calls.txt', data, damage: padded }))).toEqual(
      unreadable('size-mismatch', 'calls.txt'),
    );
    const cut = (bytes: Buffer) => bytes.subarray(0, bytes.length - 4);
    expect(await verdict(crafted({ name: 'calls.txt', data, damage: cut }))).toEqual(
      unreadable('damaged-data', 'calls.txt'),
    );
  });

  it('refuses a local header that names another file than the directory (what streaming extractors read)', async () => {
    expect(await verdict(crafted({ name: 'calls.txt', localName: '../evil.txt', data: text('x') }))).toEqual(
      unreadable('header-mismatch', 'calls.txt'),
    );
  });

  it('refuses symbolic links that point out of the folder, and what cannot be a ZIP directory', async () => {
    for (const target of ['/etc', '../../home', 'a/../..', '..', 'C:/Windows'])
      expect(await verdict(crafted({ name: 'docs/link', data: text(target), link: true }))).toEqual(
        refused('unsafe-link', 'docs/link'),
      );
    expect(await verdict(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]))).toEqual(
      unreadable('damaged-directory'),
    );
  });

  it('refuses two entries sharing bytes (how a bomb passes any ratio)', async () => {
    const inner = craftedZip([{ name: 'inner.txt', data: text('inside'), deflate: false }]);
    const innerRecord = inner.subarray(0, inner.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    const zip = crafted(
      { name: 'outer.bin', data: innerRecord, deflate: false },
      { name: 'inner.txt', data: text('inside'), deflate: false, offset: 30 + 'outer.bin'.length },
    );
    expect(await verdict(zip)).toEqual(refused('overlapping-entries'));
  });

  it('takes two entries of equal contents stored apart (a photo kept under two names)', async () => {
    const photo = text('the same bytes twice');
    expect(await verdict(crafted({ name: 'a.jpg', data: photo }, { name: 'b.jpg', data: photo }))).toBeNull();
  });

  describe('expansion', () => {
    const zeros = (bytes: number) => Buffer.alloc(bytes);

    it(`refuses an entry over ${RATIO_FROM_BYTES} bytes compressed more than ${MAX_RATIO}:1 without inflating a byte of it`, async () => {
      const zip = crafted(
        { name: 'a.txt', data: text('first') },
        { name: 'zeros.bin', data: zeros(64 * 1024 * 1024) },
      );
      expect(zip.length).toBeLessThan(100 * 1024);
      expect(await verdict(zip)).toEqual(refused('compression-ratio', 'zeros.bin'));
      expect(inflated).toBe('first'.length);
    });

    it('refuses a bomb that declares a small size as soon as it inflates past it', async () => {
      const zip = crafted({ name: 'zeros.bin', data: zeros(64 * 1024 * 1024), declaredSize: 1000 });
      expect(await verdict(zip)).toEqual(unreadable('size-mismatch', 'zeros.bin'));
      expect(inflated).toBeGreaterThan(1000);
      expect(inflated).toBeLessThanOrEqual(64 * 1024);
    });

    it('refuses entries that inflate past the total bound together, before inflating the one that passes it', async () => {
      const random = (seed: number) => Buffer.alloc(400 * 1024, seed);
      const zip = crafted(
        { name: '1.bin', data: random(1) },
        { name: '2.bin', data: random(3) },
        { name: '3.bin', data: random(5) },
      );
      expect(await verdict(zip, { maxExpandedBytes: 1024 * 1024 })).toEqual(
        refused('expansion-limit', '3.bin'),
      );
      expect(inflated).toBe(800 * 1024);
      expect(await verdict(zip, { maxExpandedBytes: 1200 * 1024 })).toBeNull();
    });

    it('passes text deflated well under the ratio however large', async () => {
      const log = text(
        Array.from({ length: 200_000 }, (_, i) => `${i},+855 12 ${String(i).padStart(6, '0')}\n`).join(''),
      );
      expect(log.length).toBeGreaterThan(RATIO_FROM_BYTES);
      expect(await verdict(crafted({ name: 'calls.csv', data: log }))).toBeNull();
    });
  });
});

/** `zip` (one entry) with `field` added to its central directory record's extra fields. */
function withCentralExtraField(zip: Buffer, field: Buffer): Buffer {
  const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const nameLength = zip.readUInt16LE(cd + 28);
  const extraLength = zip.readUInt16LE(cd + 30);
  const at = cd + 46 + nameLength + extraLength;
  const out = Buffer.concat([zip.subarray(0, at), field, zip.subarray(at)]);
  out.writeUInt16LE(extraLength + field.length, cd + 30);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  out.writeUInt32LE(out.readUInt32LE(end + 12) + field.length, end + 12);
  return out;
}

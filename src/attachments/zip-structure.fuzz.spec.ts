import fc from 'fast-check';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { craftedZip, zipOf } from '../../test/support/zip-files';
import { AttachmentArchiveRefusedError, AttachmentUnreadableError } from './attachment-errors';
import type { AttachmentStorage } from './storage/attachment-storage';
import { openStoredZip, openZipBuffer } from './zip-reader';
import { checkZipStructure, ZipOpener } from './zip-structure';

/**
 * Hostile bytes, whatever they are, end in one of the rule's two 422 problems or pass: never another
 * error (a 500 for the uploader), never a check that does not settle, never more inflated than the
 * bound allows. Valid ZIPs are mutated where a parser trusts them: header fields, flags, truncations at
 * each structure's edge, ZIP64 fields, comment lengths, names.
 */

const LIMITS = { maxExpandedBytes: 256 * 1024 };
/** What one inflation step may give past an entry's declared size before the rule stops it. */
const CHUNK_SLACK = 64 * 1024;
/** Bytes of hostile input are a few KB: a sound check settles in milliseconds, a hung one never. */
const HANG_GUARD_MS = 10_000;
const SEED = 20261206;
const text = (s: string) => Buffer.from(s, 'utf8');

type Outcome = 'passed' | 'refused' | 'unreadable';

/**
 * Both ways the rule is given a ZIP: bytes in memory (unit tests), and ranges read from the storage as
 * uploads are (`openStoredZip`), here a storage that streams a range in small chunks as a file does.
 */
type Reading = 'buffer' | 'storage';
const openers: Record<Reading, (zip: Buffer) => ZipOpener> = {
  buffer: (zip) => (options) => openZipBuffer(zip, options),
  storage: (zip) => {
    const storage = {
      read: (_sha256: string, range: { start: number; end: number }) => {
        const slice = zip.subarray(range.start, range.end + 1);
        const chunks = Array.from({ length: Math.ceil(slice.length / 700) }, (_, i) =>
          slice.subarray(i * 700, (i + 1) * 700),
        );
        return Promise.resolve(Readable.from(chunks));
      },
    } as unknown as AttachmentStorage;
    return (options) => openStoredZip(storage, 'sha256', zip.length, options);
  },
};
const reading = fc.constantFrom<Reading>('buffer', 'storage');

/** Runs the rule on `zip`; throws (failing the property) on any other error, a hang or too much inflated. */
async function outcomeOf(zip: Buffer, read: Reading = 'buffer'): Promise<Outcome> {
  let inflated = 0;
  const countingInflater = () => {
    const stream = zlib.createInflateRaw();
    const push = stream.push.bind(stream);
    stream.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (Buffer.isBuffer(chunk)) inflated += chunk.length;
      return push(chunk, encoding);
    };
    return stream;
  };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the check did not settle')), HANG_GUARD_MS);
  });
  let outcome: Outcome;
  try {
    await Promise.race([checkZipStructure(openers[read](zip), LIMITS, countingInflater), hung]);
    outcome = 'passed';
  } catch (error) {
    if (error instanceof AttachmentArchiveRefusedError) outcome = 'refused';
    else if (error instanceof AttachmentUnreadableError) outcome = 'unreadable';
    else throw error;
  } finally {
    clearTimeout(timer);
  }
  if (inflated > LIMITS.maxExpandedBytes + CHUNK_SLACK)
    throw new Error(`inflated ${inflated} bytes, past the bound of ${LIMITS.maxExpandedBytes}`);
  return outcome;
}

/** A header field a mutation may overwrite: where it is and how wide (bytes). */
interface Field {
  at: number;
  width: 1 | 2 | 4;
  what: string;
}

/** The fields and structure edges of a well-formed ZIP, read as a parser reads it. */
interface ZipMap {
  bytes: Buffer;
  fields: Field[];
  /** General-purpose flag fields (local and central). */
  flags: Field[];
  /** Offsets where one structure ends and another begins. */
  edges: number[];
  /** The end record's comment length. */
  commentLength: Field;
}

function mapOf(bytes: Buffer): ZipMap {
  const fields: Field[] = [];
  const flags: Field[] = [];
  const edges = new Set<number>([0, bytes.length]);
  const field = (at: number, width: 1 | 2 | 4, what: string) => {
    fields.push({ at, width, what });
    return { at, width, what };
  };
  const u64 = (at: number, what: string) => (field(at, 4, `${what} low`), field(at + 4, 4, `${what} high`));
  const extras = (start: number, length: number, owner: string) => {
    for (let at = start; at + 4 <= start + length;) {
      const id = bytes.readUInt16LE(at);
      const size = bytes.readUInt16LE(at + 2);
      edges.add(at);
      field(at, 2, `${owner} extra id`);
      field(at + 2, 2, `${owner} extra size`);
      if (id === 0x0001) for (let v = at + 4; v + 8 <= at + 4 + size; v += 8) u64(v, `${owner} zip64 value`);
      at += 4 + size;
    }
  };
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  edges.add(eocd).add(eocd + 22);
  for (const [at, width, what] of [
    [4, 2, 'disk'],
    [6, 2, 'directory disk'],
    [8, 2, 'entries on disk'],
    [10, 2, 'entries'],
    [12, 4, 'directory size'],
    [16, 4, 'directory offset'],
  ] as const)
    field(eocd + at, width, `end ${what}`);
  const commentLength = field(eocd + 20, 2, 'end comment length');
  const locator = eocd - 20;
  if (locator >= 0 && bytes.readUInt32LE(locator) === 0x07064b50) {
    edges.add(locator);
    u64(locator + 8, 'zip64 end offset');
    const end64 = Number(bytes.readBigUInt64LE(locator + 8));
    edges.add(end64);
    u64(end64 + 4, 'zip64 end size');
    u64(end64 + 24, 'zip64 entries on disk');
    u64(end64 + 32, 'zip64 entries');
    u64(end64 + 40, 'zip64 directory size');
    u64(end64 + 48, 'zip64 directory offset');
  }
  let at = bytes.readUInt32LE(eocd + 16);
  if (at === 0xffffffff) at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const locals = new Set<number>();
  while (bytes.readUInt32LE(at) === 0x02014b50) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLen = bytes.readUInt16LE(at + 32);
    edges
      .add(at)
      .add(at + 46)
      .add(at + 46 + nameLength)
      .add(at + 46 + nameLength + extraLength);
    flags.push(field(at + 8, 2, 'central flags'));
    for (const [off, width, what] of [
      [4, 2, 'version made by'],
      [10, 2, 'method'],
      [16, 4, 'crc'],
      [20, 4, 'compressed size'],
      [24, 4, 'size'],
      [28, 2, 'name length'],
      [30, 2, 'extra length'],
      [32, 2, 'comment length'],
      [34, 2, 'disk'],
      [38, 4, 'external attributes'],
      [42, 4, 'local offset'],
    ] as const)
      field(at + off, width, `central ${what}`);
    extras(at + 46 + nameLength, extraLength, 'central');
    let local = bytes.readUInt32LE(at + 42);
    if (local === 0xffffffff) local = -1;
    if (local >= 0) locals.add(local);
    at += 46 + nameLength + extraLength + commentLen;
  }
  for (const local of locals) {
    if (bytes.readUInt32LE(local) !== 0x04034b50) continue;
    const nameLength = bytes.readUInt16LE(local + 26);
    const extraLength = bytes.readUInt16LE(local + 28);
    const dataStart = local + 30 + nameLength + extraLength;
    edges
      .add(local)
      .add(local + 30)
      .add(local + 30 + nameLength)
      .add(dataStart);
    flags.push(field(local + 6, 2, 'local flags'));
    for (const [off, width, what] of [
      [4, 2, 'version needed'],
      [8, 2, 'method'],
      [14, 4, 'crc'],
      [18, 4, 'compressed size'],
      [22, 4, 'size'],
      [26, 2, 'name length'],
      [28, 2, 'extra length'],
    ] as const)
      field(local + off, width, `local ${what}`);
    extras(local + 30 + nameLength, extraLength, 'local');
  }
  return {
    bytes,
    fields,
    flags,
    edges: [...edges].filter((e) => e >= 0 && e <= bytes.length),
    commentLength,
  };
}

function write(bytes: Buffer, f: Field, value: number): void {
  if (f.at < 0 || f.at + f.width > bytes.length) return;
  const v = value % 2 ** (8 * f.width);
  if (f.width === 1) bytes.writeUInt8(v, f.at);
  else if (f.width === 2) bytes.writeUInt16LE(v, f.at);
  else bytes.writeUInt32LE(v, f.at);
}

/** One change to a ZIP's bytes; applied in order, each to what the previous left. */
type Mutation = (map: ZipMap, bytes: Buffer) => Buffer;
/** A mutation as a counterexample prints it. */
const named = (label: string, change: Mutation): Mutation =>
  Object.assign(change, { [fc.toStringMethod]: () => label });

const interesting = fc.oneof(
  fc.constantFrom(0, 1, 2, 8, 0x7f, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0xfffffffe, 0xffffffff),
  fc.nat({ max: 4096 }),
  fc.nat({ max: 0xffffffff }),
);
const pick = <T>(list: T[], index: number): T => list[index % list.length];

const hex = (n: number) => `0x${n.toString(16)}`;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ field: fc.nat(), value: interesting }).map(({ field, value }) =>
    named(`field #${field} := ${hex(value)}`, (map, bytes) => {
      write(bytes, pick(map.fields, field), value);
      return bytes;
    }),
  ),
  fc.record({ field: fc.nat(), delta: fc.integer({ min: -3, max: 3 }) }).map(({ field, delta }) =>
    named(`field #${field} += ${delta}`, (map, bytes) => {
      const f = pick(map.fields, field);
      if (f.at + f.width <= bytes.length)
        write(bytes, f, Math.max(0, bytes.readUIntLE(f.at, f.width) + delta));
      return bytes;
    }),
  ),
  // Encryption (1), strong encryption (0x40), data descriptor (8), UTF-8 (0x800), reserved bits.
  fc
    .record({
      field: fc.nat(),
      bits: fc.constantFrom(0x1, 0x8, 0x9, 0x40, 0x41, 0x800, 0x2000, 0xffff),
      set: fc.boolean(),
    })
    .map(({ field, bits, set }) =>
      named(`flags #${field} ${set ? '|=' : '&= ~'}${hex(bits)}`, (map, bytes) => {
        const f = pick(map.flags, field);
        if (f.at + 2 <= bytes.length) {
          const old = bytes.readUInt16LE(f.at);
          write(bytes, f, set ? old | bits : old & ~bits);
        }
        return bytes;
      }),
    ),
  fc
    .record({ field: fc.nat(), method: fc.constantFrom(0, 1, 6, 8, 9, 12, 14, 93, 99, 0xffff) })
    .map(({ field, method }) =>
      named(`method #${field} := ${method}`, (map, bytes) => {
        write(
          bytes,
          pick(
            map.fields.filter((f) => f.what.endsWith('method')),
            field,
          ),
          method,
        );
        return bytes;
      }),
    ),
  fc.record({ at: fc.nat(), bit: fc.nat({ max: 7 }) }).map(({ at, bit }) =>
    named(`flip bit ${bit} of byte ${at}`, (_map, bytes) => {
      if (bytes.length) bytes[at % bytes.length] ^= 1 << bit;
      return bytes;
    }),
  ),
  fc.record({ at: fc.nat(), with: fc.uint8Array({ minLength: 1, maxLength: 8 }) }).map(({ at, with: w }) =>
    named(`overwrite at ${at} with ${Buffer.from(w).toString('hex')}`, (_map, bytes) => {
      if (bytes.length) Buffer.from(w).copy(bytes, at % bytes.length);
      return bytes;
    }),
  ),
  fc
    .record({ edge: fc.nat(), delta: fc.integer({ min: -2, max: 2 }) })
    .map(({ edge, delta }) =>
      named(`truncate at edge #${edge} ${delta >= 0 ? '+' : ''}${delta}`, (map, bytes) =>
        bytes.subarray(0, Math.max(0, Math.min(bytes.length, pick(map.edges, edge) + delta))),
      ),
    ),
  fc.record({ length: interesting, comment: fc.uint8Array({ maxLength: 40 }) }).map(({ length, comment }) =>
    named(`comment length := ${hex(length)}, ${comment.length} bytes appended`, (map, bytes) => {
      write(bytes, map.commentLength, length);
      return Buffer.concat([bytes, Buffer.from(comment)]);
    }),
  ),
);

/** Valid ZIPs of every shape the rule reads: crafted, written by yazl, data descriptors, ZIP64, many entries. */
async function corpus(): Promise<Buffer[]> {
  const yazl = await import('yazl');
  const zip64 = new yazl.ZipFile();
  zip64.addBuffer(text('first\n'.repeat(50)), 'big/first.txt', { forceZip64Format: true });
  zip64.addBuffer(text('second'), 'big/second.bin', { forceZip64Format: true, compress: false });
  zip64.end({ forceZip64Format: true, comment: 'zip64' });
  const chunks: Buffer[] = [];
  for await (const chunk of zip64.outputStream) chunks.push(chunk as Buffer);
  return [
    craftedZip([
      { name: 'a/calls.csv', data: text('when,number\n'.repeat(40)) },
      { name: 'a/photo.bin', data: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), deflate: false },
      { name: 'a/link', data: text('calls.csv'), link: true },
      { name: 'a/empty/', data: Buffer.alloc(0), deflate: false },
    ]),
    await zipOf(
      [
        ['extract/chat.txt', text('hello\n'.repeat(100)), { stream: true }],
        [
          'extract/raw.bin',
          Buffer.from(Array.from({ length: 300 }, (_, i) => i % 251)),
          { compress: false, stream: true },
        ],
        ['extract/empty.txt', Buffer.alloc(0)],
      ],
      { comment: 'exported' },
    ),
    await zipOf(Array.from({ length: 60 }, (_, i) => [`tiny/${i}.txt`, text(String(i))] as [string, Buffer])),
    Buffer.concat(chunks),
  ];
}

describe('the ZIP structure rule on hostile bytes (fuzz)', () => {
  let maps: ZipMap[];
  beforeAll(async () => (maps = (await corpus()).map(mapOf)));

  it('takes every unmutated ZIP of the corpus, whose map reaches ZIP64 fields and extra fields', async () => {
    expect(maps.flatMap((map) => map.fields.map((f) => f.what))).toEqual(
      expect.arrayContaining(['central zip64 value low', 'central extra size', 'zip64 entries low']),
    );
    for (const map of maps) {
      expect(await outcomeOf(map.bytes, 'buffer')).toBe('passed');
      expect(await outcomeOf(map.bytes, 'storage')).toBe('passed');
    }
  });

  it('answers mutated ZIPs with a pass or a 422 problem, never another error, a hang or a bomb', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        reading,
        async (which, mutations, read) => {
          const map = pick(maps, which);
          const bytes = mutations.reduce<Buffer>((b, m) => m(map, b), Buffer.from(map.bytes));
          await outcomeOf(bytes, read);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('answers ZIPs with hostile names with a pass or a 422 problem', async () => {
    const hostileName = fc.oneof(
      fc.constantFrom(
        '..',
        '../',
        '/',
        '\\',
        'C:',
        '\u0000',
        '.',
        './',
        ' ',
        '. .',
        'a/../..',
        '//x',
        'a\u0000b',
      ),
      fc.string({
        unit: fc.constantFrom(
          'a',
          '/',
          '\\',
          '.',
          ' ',
          ':',
          '\u0000',
          '\u0007',
          '\n',
          '\u007f',
          'é',
          '\ud83d\ude00',
        ),
        maxLength: 24,
      }),
      fc.nat({ max: 3 }).map((k) => 'x'.repeat([255, 4096, 32_000, 65_535][k])),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: hostileName,
            data: fc.uint8Array({ maxLength: 64 }),
            deflate: fc.boolean(),
            link: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        reading,
        async (entries, read) => {
          await outcomeOf(craftedZip(entries.map((e) => ({ ...e, data: Buffer.from(e.data) }))), read);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

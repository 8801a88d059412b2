import { Readable } from 'node:stream';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';

export type ZipEntry = [string, Buffer, { compress?: boolean; fileComment?: string; stream?: boolean }?];

/** A ZIP (`yazl`) with comments, stored entries and entries written with a data descriptor. */
export async function zipOf(entries: ZipEntry[], end: { comment?: string } = {}): Promise<Buffer> {
  const yazl = await import('yazl');
  const zip = new yazl.ZipFile();
  for (const [name, content, options = {}] of entries) {
    const { stream, ...rest } = options;
    if (stream) zip.addReadStream(Readable.from([content]), name, rest);
    else zip.addBuffer(content, name, rest);
  }
  zip.end({ forceZip64Format: false, comment: end.comment ?? '' });
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A ZIP of `entries`, each deflated (or each stored). */
export const aZip = (entries: Array<[string, Buffer]>, compress = true): Promise<Buffer> =>
  zipOf(entries.map(([name, content]) => [name, content, { compress }]));

/** One entry of `craftedZip`: what a ZIP writer would never write, on purpose. */
export interface CraftedEntry {
  /** Written as UTF-8 (bit 11), as given: `../`, `/`, `\` and controls included. */
  name: string;
  /** The entry's bytes, uncompressed. */
  data: Buffer;
  /** Its deflated bytes as given instead of deflating `data` (a bomb: `deflatedZeros`); crc and size follow `data`. */
  deflated?: { bytes: Buffer; size: number; crc: number };
  /** Deflated (the default) or stored. */
  deflate?: boolean;
  /** What both headers declare instead of the truth. */
  declaredSize?: number;
  crc?: number;
  /** Another name in the local header than in the central directory. */
  localName?: string;
  /** A Unix symbolic link (mode 0120777) whose target is `data`. */
  link?: boolean;
  /** Damages the compressed bytes as written (both headers keep what the undamaged ones say). */
  damage?: (compressed: Buffer) => Buffer;
  /** No local record of its own: its directory record points at this offset of the file. */
  offset?: number;
}

/** A ZIP written byte by byte from `entries` (no writer library would write these). */
export function craftedZip(entries: CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const records: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.deflate === false ? 0 : 8;
    const packed = e.deflated?.bytes ?? (method === 8 ? deflateRawSync(e.data) : e.data);
    const compressed = e.damage ? e.damage(Buffer.from(packed)) : packed;
    const crc = e.crc ?? e.deflated?.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.deflated?.size ?? e.data.length;
    const at = e.offset ?? offset;
    if (e.offset === undefined) {
      const localName = Buffer.from(e.localName ?? e.name, 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x800, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(0x21, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(localName.length, 26);
      locals.push(local, localName, compressed);
      offset += 30 + localName.length + compressed.length;
    }
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x800, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt16LE(0x21, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(compressed.length, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(((e.link ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    record.writeUInt32LE(at, 42);
    records.push(record, name);
  }
  const directory = Buffer.concat(records);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * `mib` MiB of zeros deflated (about 1 KB a MiB) without deflating them all: one MiB deflated with a full
 * flush (no reference to what came before) repeated, then an empty final block.
 */
export function deflatedZeros(mib: number): { bytes: Buffer; size: number; crc: number } {
  const zeros = Buffer.alloc(1024 * 1024);
  const segment = deflateRawSync(zeros, { finishFlush: zlibConstants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(zeros, crc);
  const final = deflateRawSync(Buffer.alloc(0));
  return {
    bytes: Buffer.concat([...Array<Buffer>(mib).fill(segment), final]),
    size: mib * zeros.length,
    crc,
  };
}

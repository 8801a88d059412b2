import { Readable } from 'node:stream';

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

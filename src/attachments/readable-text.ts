import { PassThrough, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { constants, inflateSync } from 'node:zlib';
import yauzl from 'yauzl';
import { looksLikeText } from './attachment-types';
import type { AttachmentStorage } from './storage/attachment-storage';

/**
 * What a reader can read in a file, as lines of text, for the release rule to look for numbers in
 * (probe r16: a call log naming a number another country gave, attached to a shared case, reached the
 * third country by its contents). Read: text and CSV whole; a PDF's text (its content streams, inflated,
 * and what lies between them); a ZIP's entry names and the text, PDF and ZIP files inside it. Not read:
 * pictures, encrypted ZIP entries, a PDF whose text is written in glyph numbers (CID fonts without a
 * reading of their own), and anything past the limits below, which keep the work bounded.
 */

/** A line longer than this is read in windows of it, each overlapping the last, so no number is cut. */
const WINDOW = 4096;
const OVERLAP = 64;
/** A PDF, a PDF inside a ZIP or a ZIP inside a ZIP is read into memory up to this size; past it, as bytes. */
const IN_MEMORY_MAX = 32 * 1024 * 1024;
/** What one stream of a PDF may inflate to. */
const INFLATED_MAX = 64 * 1024 * 1024;
/** ZIPs inside ZIPs are followed this deep. */
const ZIP_DEPTH = 2;
/** Bytes of text read from one file in all (a ZIP that inflates to more is read up to here). */
const TEXT_BUDGET = 512 * 1024 * 1024;

export type FileLines = AsyncGenerator<string, void, undefined>;

/** The readable lines of a stored file of `mediaType`. */
export async function* readableLines(
  storage: AttachmentStorage,
  sha256: string,
  mediaType: string,
  size: number,
): FileLines {
  const budget = { left: TEXT_BUDGET };
  if (mediaType.startsWith('text/')) yield* textLines(await storage.read(sha256), budget);
  else if (mediaType === 'application/pdf')
    yield* size <= IN_MEMORY_MAX
      ? pdfLines(await readAll(await storage.read(sha256)), budget)
      : textLines(await storage.read(sha256), budget, 'latin1');
  else if (mediaType === 'application/zip')
    yield* zipLines(await openStoredZip(storage, sha256, size), budget, 0);
}

/** Lines of a byte stream decoded as UTF-8 (or latin1, for bytes that are not all text). */
async function* textLines(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  budget: { left: number },
  encoding: 'utf8' | 'latin1' = 'utf8',
): FileLines {
  const decoder = new StringDecoder(encoding);
  let pending = '';
  for await (const chunk of source) {
    if (budget.left <= 0) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    budget.left -= bytes.length;
    pending += decoder.write(bytes);
    const lines = pending.split(/\r?\n|\r/);
    pending = lines.pop()!;
    for (const line of lines) yield* windows(line);
    // A line with no end yet: read what is sure to be whole, keep the overlap for the next chunk.
    if (pending.length > WINDOW) {
      const cut = pending.length - OVERLAP;
      yield* windows(pending.slice(0, cut + OVERLAP));
      pending = pending.slice(cut);
    }
  }
  yield* windows(pending + decoder.end());
}

function* windows(line: string): Generator<string> {
  if (line.length <= WINDOW) {
    if (line) yield line;
    return;
  }
  for (let start = 0; start < line.length; start += WINDOW - OVERLAP) yield line.slice(start, start + WINDOW);
}

/** The lines of bytes held in memory, read by what they are (a file inside a ZIP). */
async function* bufferLines(bytes: Buffer, budget: { left: number }, depth: number): FileLines {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') yield* pdfLines(bytes, budget);
  else if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) {
    if (depth < ZIP_DEPTH) yield* zipLines(await openZipBuffer(bytes), budget, depth + 1);
  } else if (looksLikeText(bytes.subarray(0, 4100))) yield* textLines([bytes], budget);
}

/**
 * A PDF's text: each content stream inflated (or as it is, when not compressed), and the bytes between
 * streams (uncompressed pages, the document's information). Strings a `TJ` array spaces apart
 * (`[(+855 12) -250 (000 111)] TJ`) are joined, as a reader sees them.
 */
async function* pdfLines(pdf: Buffer, budget: { left: number }): FileLines {
  let at = 0;
  while (at < pdf.length) {
    let start = pdf.indexOf('stream', at, 'latin1');
    while (start >= 3 && pdf.toString('latin1', start - 3, start) === 'end')
      start = pdf.indexOf('stream', start + 6, 'latin1');
    const outside = pdf.subarray(at, start < 0 ? pdf.length : start);
    yield* textLines([outside], budget, 'latin1');
    if (start < 0) return;
    let body = start + 'stream'.length;
    if (pdf[body] === 0x0d) body++;
    if (pdf[body] === 0x0a) body++;
    let end = pdf.indexOf('endstream', body, 'latin1');
    if (end < 0) end = pdf.length;
    const content = inflated(pdf.subarray(body, end)) ?? pdf.subarray(body, end);
    yield* textLines([Buffer.from(joinShownStrings(content.toString('latin1')), 'latin1')], budget, 'latin1');
    at = end + 'endstream'.length;
  }
}

function inflated(raw: Buffer): Buffer | null {
  try {
    return inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: INFLATED_MAX });
  } catch {
    return null;
  }
}

/**
 * Strings as a page shows them: hexadecimal ones (`<2B383535>`) as their bytes, and `(a) -250 (b)` inside
 * a `TJ` array as the text `ab`.
 */
const joinShownStrings = (content: string) =>
  content
    .replace(/<([0-9A-Fa-f\s]+)>/g, (whole, hex: string) => {
      const digits = hex.replace(/\s/g, '');
      return digits.length % 2 ? whole : `(${Buffer.from(digits, 'hex').toString('latin1')})`;
    })
    .replace(/\)\s*-?\d*\.?\d+\s*\(/g, '');

interface OpenZip {
  zip: yauzl.ZipFile;
}

/** Each entry's name, then what it holds when that is text, a PDF or a ZIP (not encrypted ones). */
async function* zipLines({ zip }: OpenZip, budget: { left: number }, depth: number): FileLines {
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) return;
      yield entry.fileName;
      if (budget.left <= 0 || entry.fileName.endsWith('/') || entry.isEncrypted()) continue;
      const stream = await openEntry(zip, entry);
      if (entry.uncompressedSize <= IN_MEMORY_MAX) yield* bufferLines(await readAll(stream), budget, depth);
      else yield* textLines(stream, budget);
    }
  } finally {
    zip.close();
  }
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(null));
    const onError = (error: Error) => (cleanup(), reject(error));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))),
  );
}

function openZipBuffer(bytes: Buffer): Promise<OpenZip> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) =>
      error ? reject(error) : resolve({ zip }),
    ),
  );
}

/** A stored ZIP read where yauzl asks (its directory at the end first), by ranges of the storage. */
class StoredZipReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly storage: AttachmentStorage,
    private readonly sha256: string,
  ) {
    super();
  }

  // yauzl wants the stream at once; the storage gives it when it has it.
  override _readStreamForRange(start: number, end: number): Readable {
    const through = new PassThrough();
    if (end <= start) through.end();
    else
      this.storage.read(this.sha256, { start, end: end - 1 }).then(
        (source) => source.on('error', (e) => through.destroy(e)).pipe(through),
        (error: Error) => through.destroy(error),
      );
    return through;
  }
}

function openStoredZip(storage: AttachmentStorage, sha256: string, size: number): Promise<OpenZip> {
  return new Promise((resolve, reject) =>
    yauzl.fromRandomAccessReader(
      new StoredZipReader(storage, sha256),
      size,
      { lazyEntries: true, autoClose: true },
      (error, zip) => (error ? reject(error) : resolve({ zip })),
    ),
  );
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

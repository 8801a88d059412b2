import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type yauzl from 'yauzl';
import { looksLikeText } from './attachment-types';
import { jsonUnescapedPieces, looksLikeJson } from './json-text';
import { looksLikeMail, mailParts } from './mail-parts';
import { PdfObjects } from './pdf-cid-text';
import { pdfParts } from './pdf-text';
import { UnreadableContentError } from './unreadable-content.error';
import {
  nextEntry,
  openEntry,
  openStoredZip as openStoredZipFile,
  openZipBuffer as openZipBytes,
} from './zip-reader';

export { UnreadableContentError };
import type { AttachmentStorage } from './storage/attachment-storage';

/**
 * What a reader can read in a file, as lines of text, for the release rule to look for numbers in
 * (probe r16: a call log naming a number another country gave, attached to a shared case, reached the
 * third country by its contents). Read: text and CSV whole (UTF-8; inside a ZIP, UTF-16 with its mark or
 * single-byte text too); a PDF's text (`pdfParts`, and what its CID fonts draw: `PdfObjects`); a ZIP's
 * entry names and the text, PDF and ZIP files inside it; markup, JSON and e-mails also as they show
 * (`shownTextLines`). Not read: pictures, a PDF whose glyph numbers no ToUnicode map reads, a PDF over
 * `IN_MEMORY_MAX` or one inside a ZIP entry over it (read as bytes, not inflated). What cannot be read through is refused, not passed over (`UnreadableContentError`):
 * an encrypted or damaged ZIP, an encrypted PDF (`pdfParts`), ZIPs nested deeper than `ZIP_DEPTH`, text past
 * `textBudgetOf` its size. PDF text strings in UTF-16BE or UTF-8 with their mark are read as they show
 * (`textStringAt`).
 */

const gunzipped = promisify(gunzip);

/** A line longer than this is read in windows of it, each overlapping the last, so no number is cut. */
const WINDOW = 4096;
/** More than a number written in groups takes once runs of separators are made one space. */
const OVERLAP = 256;
/** Bytes decoded at a time (a stored file's chunk), whatever the size of the buffer read. */
const PIECE = 64 * 1024;
/** A PDF, a PDF inside a ZIP or a ZIP inside a ZIP is read into memory up to this size; past it, as bytes. */
const IN_MEMORY_MAX = 32 * 1024 * 1024;
/** ZIPs inside ZIPs are followed this deep. */
const ZIP_DEPTH = 2;
/**
 * gzip files inside gzip files are followed this deep. Unbounded, 3,000 layers (a 70 KB ZIP: `gzip -0`
 * adds 23 bytes a layer) ran `bufferLines` out of stack: a 500 (probe input r7).
 */
const GZIP_DEPTH = 2;
/** E-mails inside e-mails (an encoded part that is an e-mail with encoded parts) are read this deep. */
const MAIL_DEPTH = 3;
/** Bytes of text read from one file in all. */
const TEXT_BUDGET = 512 * 1024 * 1024;
/**
 * Bytes of text read per stored byte at most, past `TEXT_FLOOR`: text compresses 3 to 10 times, a
 * repetitive log some 50. Without it a 4.7 KB ZIP (gzip inside gzip around 32 MB of spaces, fifteen
 * times) was read for the whole budget, 4.7 s of CPU an upload (probe input r7).
 */
const TEXT_PER_STORED_BYTE = 256;
/** Text any file may hold to be read through, however small. */
const TEXT_FLOOR = 64 * 1024 * 1024;
const textBudgetOf = (size: number) =>
  Math.min(TEXT_BUDGET, Math.max(TEXT_FLOOR, size * TEXT_PER_STORED_BYTE));
/**
 * What the entries of ZIPs inside the file's ZIP may inflate to together by default (the file's own
 * entries are bounded where every upload passes, `checkZipStructure`; the ZIPs inside them are not held
 * to it). Entries that are no text (zeros) were inflated without counting: a 26 KB upload, a ZIP inside
 * a ZIP inside the ZIP, each deflated, inflated 5 GB for 25 s of CPU, and one of a few MB would have run
 * for days (probe input r7). The app passes ATTACHMENT_NESTED_ZIP_MAX_INFLATED_BYTES, this by default.
 */
const NESTED_INFLATED_MAX = 1024 * 1024 * 1024;

/** Bounds of one reading that the app's configuration sets (`readableLines`). */
export interface ReadingLimits {
  /** What the entries of ZIPs inside the file's ZIP may inflate to together, in bytes. */
  nestedInflatedMax?: number;
}

export type FileLines = AsyncGenerator<string, void, undefined>;
type Budget = { left: number; total: number; nestedLeft: number; nestedTotal: number };

/**
 * The readable lines of a stored file of `mediaType`. A structure a reader could not hold (a call stack
 * or a string past the engine's limits: `RangeError`) makes the file unreadable, as a budget overrun
 * does: an upload answers 422, never 500, and the catch-up job records the file instead of trying it
 * again every run as if its storage were out (a chain of PDF resources did both, review of session 42).
 */
export async function* readableLines(
  storage: AttachmentStorage,
  sha256: string,
  mediaType: string,
  size: number,
  limits: ReadingLimits = {},
): FileLines {
  try {
    yield* readLines(storage, sha256, mediaType, size, limits.nestedInflatedMax ?? NESTED_INFLATED_MAX);
  } catch (error) {
    if (error instanceof RangeError)
      throw new UnreadableContentError(`the file is built too deep or too large to read (${error.message})`);
    throw error;
  }
}

async function* readLines(
  storage: AttachmentStorage,
  sha256: string,
  mediaType: string,
  size: number,
  nestedInflatedMax: number,
): FileLines {
  const text = textBudgetOf(size);
  const budget: Budget = {
    left: text,
    total: text,
    nestedLeft: nestedInflatedMax,
    nestedTotal: nestedInflatedMax,
  };
  if (mediaType.startsWith('text/')) {
    yield* textLines(await storage.read(sha256), budget);
    // Markup saved as text (a page or an XML export not refused as HTML), JSON, an e-mail: read again
    // as it shows.
    if (size > 0 && size <= IN_MEMORY_MAX) {
      const head = await buffer(await storage.read(sha256, { start: 0, end: Math.min(size, 4100) - 1 }));
      if (readsAgain(head)) yield* shownTextLines(await buffer(await storage.read(sha256)), budget, 0, 0);
    }
  } else if (mediaType === 'application/pdf')
    yield* size <= IN_MEMORY_MAX
      ? pdfLines(await buffer(await storage.read(sha256)), budget)
      : textLines(await storage.read(sha256), budget, 'latin1');
  else if (mediaType === 'application/zip') {
    // Its bytes as they are first: stored data, comments and whatever lies outside the entries.
    yield* textLines(await storage.read(sha256), budget, 'ascii');
    yield* zipLines(await openStoredZip(storage, sha256, size), budget, 0);
  }
}

/**
 * A byte stream's text decoded as UTF-8 (or another encoding, for bytes that are not UTF-8), in windows
 * that overlap: line breaks are separators as any other (`numbersIn` reads `+855 12` and `000 111` on
 * two lines as one number, as in any text), so no window ends a line.
 */
async function* textLines(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  budget: Budget,
  encoding: 'utf8' | 'latin1' | 'utf16le' | 'ascii' = 'utf8',
): FileLines {
  // `ascii`: bytes that are mostly not text (a ZIP as it is), read for the printable ASCII in them.
  const decoder = new StringDecoder(encoding === 'ascii' ? 'latin1' : encoding);
  const decode = (text: string) => (encoding === 'ascii' ? text.replace(/[^\x20-\x7e]+/g, ' ') : text);
  let pending = '';
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    spend(budget, bytes.length);
    // A piece at a time, as a stored file streams: a PDF's part or a ZIP entry comes as one buffer of
    // up to 64 MB, and the patterns of `spaced` and `decode` ran out of stack on a run of ten million
    // separators in one string (a 500, probe input r6).
    for (let at = 0; at < bytes.length; at += PIECE) {
      pending = spaced(pending + decode(decoder.write(bytes.subarray(at, at + PIECE))));
      while (pending.length > WINDOW) {
        yield pending.slice(0, WINDOW);
        pending = pending.slice(WINDOW - OVERLAP);
      }
    }
  }
  yield* windows(pending + decode(decoder.end()));
}

function spend(budget: Budget, bytes: number): void {
  budget.left -= bytes;
  if (budget.left < 0)
    throw new UnreadableContentError(`it holds more than ${budget.total} bytes of text to read through`);
}

/** Runs of separators as one space: `numbersIn` reads them alike, and a window then holds more. */
const spaced = (line: string) => line.replace(/[^\p{L}\p{N}]{8,}/gu, ' ');

function* windows(raw: string): Generator<string> {
  const line = raw.length > WINDOW ? spaced(raw) : raw;
  if (line.length <= WINDOW) {
    if (line) yield line;
    return;
  }
  for (let start = 0; start < line.length; start += WINDOW - OVERLAP) yield line.slice(start, start + WINDOW);
}

/** A PDF's parts as `pdfParts` reads them, then the text its CID fonts draw (`PdfObjects`). */
async function* pdfLines(pdf: Buffer, budget: Budget): FileLines {
  const objects = new PdfObjects();
  for await (const part of pdfParts(pdf, objects)) yield* textLines(part, budget, 'latin1');
  yield* textLines(lettingGo(objects.cidText()), budget);
}

/** Time a reader made in one go (a PDF's CID text) may hold the event loop before letting it go. */
const TURN_MS = 50;

/** `pieces` handed on as they are made, the event loop let go every `TURN_MS` of making them. */
async function* lettingGo(pieces: Iterable<Buffer>): AsyncGenerator<Buffer> {
  let turn = Date.now();
  for (const piece of pieces) {
    if (Date.now() - turn > TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = Date.now();
    }
    yield piece;
  }
}

/** Text a reader sees otherwise than it is written: markup, JSON's escapes, an e-mail's encoded parts. */
export const readsAgain = (head: Buffer) => {
  const text = head.toString('latin1');
  return MARKUP.test(text) || looksLikeJson(text) || looksLikeMail(text);
};

/**
 * Text read again as it shows (`readsAgain`): markup (`markupLines`), JSON with its escapes read
 * (`jsonUnescapedPieces`), an e-mail's encoded parts each read by what it is (`mailParts`; `mailed`: the
 * e-mails it lies inside, up to `MAIL_DEPTH`).
 */
async function* shownTextLines(bytes: Buffer, budget: Budget, depth: number, mailed: number): FileLines {
  const head = bytes.subarray(0, 4100).toString('latin1');
  if (MARKUP.test(head)) yield* markupLines(bytes, budget);
  if (looksLikeJson(head) && bytes.includes(0x5c))
    yield* textLines(jsonUnescapedPieces(bytes.toString('utf8')), budget);
  if (!looksLikeMail(head)) return;
  for (const part of mailParts(bytes.toString('utf8'))) {
    if (mailed >= MAIL_DEPTH)
      throw new UnreadableContentError(`it holds e-mails inside e-mails more than ${MAIL_DEPTH} deep`);
    yield* bufferLines(part, budget, depth, 0, mailed + 1);
  }
}

/** The lines of bytes held in memory (a file inside a ZIP), read by what they are. */
async function* bufferLines(
  bytes: Buffer,
  budget: Budget,
  depth: number,
  gzipped = 0,
  mailed = 0,
): FileLines {
  const head = bytes.subarray(0, 4100);
  if (head.subarray(0, 1024).includes('%PDF-')) yield* pdfLines(bytes, budget);
  else if (isZip(bytes)) {
    if (depth >= ZIP_DEPTH) throw new UnreadableContentError(`it holds ZIPs more than ${ZIP_DEPTH} deep`);
    yield* textLines([bytes], budget, 'ascii');
    yield* zipLines(await openZipBuffer(bytes), budget, depth + 1);
  } else if (head[0] === 0x1f && head[1] === 0x8b) {
    if (gzipped >= GZIP_DEPTH)
      throw new UnreadableContentError(`it holds gzip files more than ${GZIP_DEPTH} deep`);
    const unzipped = await gunzipped(bytes, { maxOutputLength: IN_MEMORY_MAX }).catch(
      (error: { code?: string }) => {
        throw new UnreadableContentError(
          error.code === 'ERR_BUFFER_TOO_LARGE'
            ? `it holds a gzip file that inflates past ${IN_MEMORY_MAX} bytes`
            : 'it holds a gzip file that cannot be read through',
        );
      },
    );
    yield* bufferLines(unzipped, budget, depth, gzipped + 1, mailed);
  } else if (head[0] === 0xff && head[1] === 0xfe) yield* textLines([bytes.subarray(2)], budget, 'utf16le');
  // UTF-16 big-endian with its mark, and either order without one (every other byte a NUL where the
  // text is Latin): a Windows "Unicode text" export left unread was KH's numbers unrecorded (probe r47).
  else if (head[0] === 0xfe && head[1] === 0xff)
    yield* textLines([swapped(bytes.subarray(2))], budget, 'utf16le');
  else if (utf16Order(head) === 'le') yield* textLines([bytes], budget, 'utf16le');
  else if (utf16Order(head) === 'be') yield* textLines([swapped(bytes)], budget, 'utf16le');
  else if (looksLikeText(head)) {
    yield* textLines([bytes], budget);
    if (readsAgain(head)) yield* shownTextLines(bytes, budget, depth, mailed);
  }
  // Single-byte text (a spreadsheet's Windows-1252 export): no NUL where a picture has many.
  else if (!head.includes(0)) yield* textLines([bytes], budget, 'latin1');
}

/** A copy of UTF-16BE bytes in little-endian order (an odd last byte dropped). */
function swapped(bytes: Buffer): Buffer {
  return Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2))).swap16();
}

/**
 * UTF-16 without its mark: of the first bytes, the odd (`le`) or the even (`be`) ones nearly all NUL and
 * the others nearly none, as text of Latin letters and digits is written.
 */
function utf16Order(head: Buffer): 'le' | 'be' | null {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenZero++;
    if (head[2 * i + 1] === 0) oddZero++;
  }
  if (oddZero >= pairs * 0.9 && evenZero <= pairs * 0.1) return 'le';
  if (evenZero >= pairs * 0.9 && oddZero <= pairs * 0.1) return 'be';
  return null;
}

/** A tag or a character reference: text that may be markup, read again as it shows (`markupLines`). */
const MARKUP = /<\/?[A-Za-z][\w:.-]*[\s>/]|&(?:#\d{1,7}|#x[\da-f]{1,6}|[a-z]{2,8});/i;
/** Tags that end a paragraph, a row or a line where they stand. */
const LINE_TAGS =
  /^\/?(?:\w+:)?(?:p|h\d?|br|div|tr|li|row|si|table|ul|ol|section|article|line-break|cr|headers?|footers?)$/i;
/** Tags that end a table's cell (a cell separator, as in a CSV), or stand for blank space. */
const CELL_TAGS = /^\/(?:\w+:)?(?:td|th|c|tc|table-cell|cell)$/i;
const SPACE_TAGS = /^(?:\w+:)?(?:tab|s|space|nbsp)$/i;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Markup (a Word document's or a spreadsheet's XML inside its ZIP, an .odt, a saved page, an XML export)
 * as it shows: the text of its elements joined where a reader sees it joined, its character references
 * read. Word splits a paragraph's text into runs wherever its formatting or its editing history changes
 * (`<w:t>0071</w:t></w:r><w:r><w:t>-2233-4455</w:t>`), an .odt writes spaces as elements
 * (`0071<text:s/>2233`), a page writes `0071&nbsp;2233`: read as bytes, each piece was a number of its own
 * too short to be one (probe r47). The markup as written is read too (`bufferLines`).
 */
async function* markupLines(bytes: Buffer, budget: Budget): FileLines {
  const text = bytes
    .toString('utf8')
    .replace(/<([^<>]*)>|&(#\d{1,7}|#x[\da-f]{1,6}|[a-z]{2,8});/gi, (_, tag, ref) => {
      if (tag !== undefined) {
        const name = /^[/?!]?\/?[^\s/>]*/.exec(tag)![0].replace(/^[?!]/, '');
        if (LINE_TAGS.test(name)) return '\n';
        if (CELL_TAGS.test(name)) return '\t';
        if (SPACE_TAGS.test(name.replace(/^\//, ''))) return ' ';
        return '';
      }
      const r = (ref as string).toLowerCase();
      if (r.startsWith('#')) {
        const code = r[1] === 'x' ? parseInt(r.slice(2), 16) : parseInt(r.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[r] ?? ' ';
    });
  yield* textLines([Buffer.from(text)], budget);
}

/** A ZIP, also with something before its first entry (a self-extracting stub): its end record is there. */
const isZip = (bytes: Buffer) =>
  bytes.subarray(0, 65536).includes(LOCAL_HEADER) && bytes.subarray(-65557).includes(END_RECORD);
const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const END_RECORD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

interface OpenZip {
  zip: yauzl.ZipFile;
}

/** Each entry's name, then what it holds when that is text, a PDF or a ZIP. */
async function* zipLines({ zip }: OpenZip, budget: Budget, depth: number): FileLines {
  try {
    for (;;) {
      const entry = await unreadable(nextEntry(zip));
      if (!entry) return yield* windows(zip.comment);
      yield entry.fileName;
      yield* windows(entry.fileComment);
      if (entry.fileName.endsWith('/')) continue;
      if (entry.isEncrypted()) throw new UnreadableContentError('it holds an encrypted entry');
      // yauzl holds each entry to the size it declares (`validateEntrySizes`), so that is what it costs.
      if (depth > 0 && (budget.nestedLeft -= entry.uncompressedSize) < 0)
        throw new UnreadableContentError(
          `the ZIPs inside it inflate past ${budget.nestedTotal} bytes together`,
        );
      const stream = await unreadable(openEntry(zip, entry));
      // Closed whatever happens below: an entry left half read keeps the storage's stream open.
      try {
        if (entry.uncompressedSize <= IN_MEMORY_MAX)
          yield* bufferLines(await unreadable(buffer(stream)), budget, depth);
        else yield* largeEntryLines(stream, budget);
      } finally {
        stream.destroy();
      }
    }
  } finally {
    zip.close();
  }
}

/** An entry too large to hold in memory: read as it streams when it begins as text, else not at all. */
async function* largeEntryLines(stream: Readable, budget: Budget): FileLines {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await unreadable(chunks.next());
  if (first.done) return;
  const head = first.value.subarray(0, 4100);
  if (head.includes('%PDF-') || head.includes(LOCAL_HEADER) || (head[0] === 0x1f && head[1] === 0x8b))
    throw new UnreadableContentError(
      `it holds a file too large to read inside it (over ${IN_MEMORY_MAX} bytes)`,
    );
  if (!looksLikeText(head)) return void stream.destroy();
  async function* all(): AsyncGenerator<Buffer> {
    yield first.value;
    for (let next = await unreadable(chunks.next()); !next.done; next = await unreadable(chunks.next()))
      yield next.value;
  }
  yield* textLines(all(), budget);
}

/** What yauzl refuses (a damaged ZIP, a size that lies) is a file that cannot be read through. */
function unreadable<T>(pending: Promise<T>): Promise<T> {
  return pending.catch((error: Error) => {
    throw new UnreadableContentError(`its ZIP cannot be read (${error.message})`);
  });
}

function openZipBuffer(bytes: Buffer): Promise<OpenZip> {
  return unreadable(openZipBytes(bytes, { lazyEntries: true }).then((zip) => ({ zip })));
}

function openStoredZip(storage: AttachmentStorage, sha256: string, size: number): Promise<OpenZip> {
  return unreadable(
    openStoredZipFile(storage, sha256, size, { lazyEntries: true, autoClose: true }).then((zip) => ({ zip })),
  );
}

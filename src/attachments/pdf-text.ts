import { promisify } from 'node:util';
import { constants, inflate } from 'node:zlib';
import unhomoglyph from 'unhomoglyph';
import { asciiDigits, unseen } from '../sharing/identifier-keys';
import type { PdfObjects } from './pdf-cid-text';
import { UnreadableContentError } from './unreadable-content.error';

const inflated = promisify(inflate);

/** What one stream of a PDF may inflate to. */
const INFLATED_MAX = 64 * 1024 * 1024;
/**
 * What all the streams of one PDF may inflate to together, counted as each is inflated, before its text
 * is read. Flate shrinks repetitive content a thousandfold: with a bound per stream alone, nine 63 MB
 * streams fitted in a 1 MB upload and held the server for 45–75 s and 2 GB (probe input r6).
 */
const PDF_INFLATED_MAX = 128 * 1024 * 1024;

/**
 * A PDF's parts as latin1 bytes, in order: what lies between its streams (the document's information,
 * uncompressed pages), then each stream as its filters leave it (`decoded`). Each part is given raw and
 * as the text its strings show (`shownSlices`, the event loop let go between slices). Pictures (`/Subtype /Image`) are not read.
 */
export async function* pdfParts(pdf: Buffer, objects?: PdfObjects): AsyncGenerator<PdfPart> {
  if (encrypted(pdf))
    throw new UnreadableContentError('it is an encrypted PDF, whose text cannot be read without its key');
  const budget = { left: PDF_INFLATED_MAX };
  let at = 0;
  while (at < pdf.length) {
    const start = streamKeyword(pdf, at);
    const outside = pdf.subarray(at, start < 0 ? pdf.length : start);
    yield [outside];
    yield shownLettingGo(outside);
    objects?.readOutside(outside);
    if (start < 0) return;
    let body = start + 'stream'.length;
    if (pdf[body] === 0x0d) body++;
    if (pdf[body] === 0x0a) body++;
    let end = pdf.indexOf('endstream', body, 'latin1');
    if (end < 0) end = pdf.length;
    // The stream's dictionary: what stands between the object's start and the keyword.
    const dictionary = outside.toString(
      'latin1',
      Math.max(0, outside.lastIndexOf(' obj', undefined, 'latin1') - 32),
    );
    if (!/\/Subtype\s*\/Image\b/.test(dictionary)) {
      const bytes = await decoded(pdf.subarray(body, end), filtersOf(dictionary), budget);
      objects?.readStream(dictionary, bytes);
      yield shownLettingGo(bytes);
    }
    at = end + 'endstream'.length;
  }
}

/**
 * A part of a PDF as `pdfParts` gives it: its bytes, or what they show a slice at a time (one text
 * still: a number may stand across two slices), read through before the next part is asked for.
 */
export type PdfPart = Iterable<Buffer> | AsyncIterable<Buffer>;

/** Time `pdfParts` may hold the event loop reading what a part shows before letting it go. */
const TURN_MS = 50;

/** `shownSlices` of a part, the event loop let go every `TURN_MS`. */
async function* shownLettingGo(part: Buffer): AsyncGenerator<Buffer> {
  let turn = Date.now();
  for (const slice of shownSlices(part, Buffer.allocUnsafe(part.length))) {
    yield slice;
    if (Date.now() - turn > TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = Date.now();
    }
  }
}

/**
 * Whether the PDF names an encryption dictionary (`/Encrypt 9 0 R`, `/Encrypt <<…>>` in its trailer or
 * its cross-reference stream's) or a security handler as a dictionary's filter (`/Filter /Standard`,
 * `/Adobe.PubSec`): its strings and streams are then ciphertext, and what they hold could not be weighed,
 * as an encrypted ZIP entry's (422). Names are read as a viewer reads them, `#xx` escapes and all
 * (`/Encr#79pt`), and any white space and comments may stand before the value: each of these hid an
 * encrypted PDF from the first check (review). Looked for in the whole file, not only between the
 * streams `pdfParts` finds (a stream left without `endstream` would hide the trailer after it); the
 * words inside a string count too, erring towards refusing. Not decrypted, even where the user
 * password is empty (RC4, which OpenSSL 3 may not offer, or AES with keys per object): left for now.
 * One pass: the scan goes on from where a name and what follows it ended.
 */
function encrypted(pdf: Buffer): boolean {
  for (let at = pdf.indexOf(SLASH); at >= 0;) {
    const [name, end] = nameAt(pdf, at + 1);
    let next = end;
    if (name === 'Encrypt' || name === 'Filter') {
      next = pastWhiteAndComments(pdf, end);
      const c = pdf[next];
      if (name === 'Encrypt' && (c === ANGLE_OPEN || (c !== undefined && c >= ZERO && c <= NINE)))
        return true;
      if (name === 'Filter' && c === SLASH && SECURITY_HANDLERS.has(nameAt(pdf, next + 1)[0])) return true;
    }
    at = pdf.indexOf(SLASH, Math.max(next, at + 1));
  }
  return false;
}
const SLASH = 0x2f;
/** The standard security handler and the public-key one; a stream's filters have other names. */
const SECURITY_HANDLERS = new Set(['Standard', 'Adobe.PubSec', 'Adobe.PPKLite']);
/** Where a name's characters end: white space or a delimiter (PDF 32000 7.2.2). */
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));
/** Longest name read (PDF's own limit is 127 bytes); past it, the name is no name looked for. */
const NAME_MAX = 127;

/** The name whose characters begin at `from` (its `#xx` escapes read), and where it ends. */
function nameAt(pdf: Buffer, from: number): [string, number] {
  let name = '';
  let i = from;
  for (; i < pdf.length && !isWhite(pdf[i]!) && !DELIMITERS.has(pdf[i]!); i++) {
    let c = pdf[i]!;
    const hex = c === 0x23 ? pdf.toString('latin1', i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      c = parseInt(hex, 16);
      i += 2;
    }
    if (name.length <= NAME_MAX) name += String.fromCharCode(c);
  }
  return [name, i];
}

/** Past white space and `%` comments (to their line's end) from `from`. */
function pastWhiteAndComments(pdf: Buffer, from: number): number {
  let i = from;
  while (i < pdf.length) {
    if (isWhite(pdf[i]!)) i++;
    else if (pdf[i] === 0x25) while (i < pdf.length && pdf[i] !== NEWLINE && pdf[i] !== CR) i++;
    else break;
  }
  return i;
}

/** Where the next `stream` keyword stands: after a dictionary or white space, before a line's end. */
function streamKeyword(pdf: Buffer, from: number): number {
  for (
    let at = pdf.indexOf('stream', from, 'latin1');
    at >= 0;
    at = pdf.indexOf('stream', at + 6, 'latin1')
  ) {
    const before = pdf[at - 1];
    const after = pdf[at + 6];
    if (
      (before === 0x3e || before === 0x20 || before === 0x0a || before === 0x0d) &&
      (after === 0x0d || after === 0x0a)
    )
      return at;
  }
  return -1;
}

/** The stream's filters in the order they are undone (`/Filter /F` or `/Filter [/A /B]`). */
function filtersOf(dictionary: string): string[] {
  const named = firstEntry(dictionary, /\/Filter\s*(?:(\[)|\/(\w+))/g, ']');
  if (!named) return [];
  return named.inside === undefined
    ? [named.match[2]!]
    : [...named.inside.matchAll(/\/(\w+)/g)].map((m) => m[1]!);
}

/**
 * The first entry `head` finds in `text` (a global pattern whose group 1, when it matched, opens a
 * value `close` ends: `[` … `]`, `<<` … `>>`), with what stands inside that value; an opening never
 * closed is passed over, as `\[([^\]]*)\]` would. In one pass: that pattern looked for the close again
 * from each opening, to the end of the text when none came, so 100,000 `/Filter[` (an 800 KB PDF, 1 KB
 * in a ZIP) held the server 55 s, and `/Font<<`, `/Contents[` in the CID reader for minutes (probe input r10).
 */
export function firstEntry(
  text: string,
  head: RegExp,
  close: string,
): { match: RegExpMatchArray; inside?: string } | undefined {
  let closing = -2;
  for (const match of text.matchAll(head)) {
    if (match[1] === undefined) return { match };
    const from = match.index + match[0].length;
    if (closing !== -1 && closing < from) closing = text.indexOf(close[0]!, from);
    if (closing >= 0 && text.startsWith(close, closing)) return { match, inside: text.slice(from, closing) };
  }
  return undefined;
}

/**
 * A stream with its filters undone. What each filter makes counts against the stream's and the file's
 * bounds, past which the file is refused; so are filters this cannot undo (LZW, run-length): what they
 * hide could not be weighed. A stream that is not what its filter says is read as it is.
 *
 * The ASCII filters are counted too and decode in one pass into one buffer: `[/FlateDecode
 * /ASCII85Decode]` over 63 MB of `z` (four zero bytes each) was a 64 KB PDF that pushed 250 million
 * numbers into an array and ended the server (heap out of memory), and `/ASCIIHexDecode` split 63 MB of
 * `>` into 63 million strings (probe input r7).
 */
async function decoded(raw: Buffer, filters: string[], budget: { left: number }): Promise<Buffer> {
  let bytes = raw;
  for (const filter of filters) {
    const most = Math.min(INFLATED_MAX, budget.left);
    const past = (verb = 'decode') =>
      new UnreadableContentError(
        most < INFLATED_MAX
          ? `its streams ${verb} past ${PDF_INFLATED_MAX} bytes together`
          : `a PDF stream ${verb}s past ${INFLATED_MAX} bytes`,
      );
    if (filter === 'FlateDecode' || filter === 'Fl') {
      bytes = await inflated(bytes, {
        finishFlush: constants.Z_SYNC_FLUSH,
        maxOutputLength: Math.max(1, most),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ERR_BUFFER_TOO_LARGE') return bytes;
        throw past('inflate');
      });
    } else if (filter === 'ASCIIHexDecode' || filter === 'AHx') {
      const end = bytes.indexOf(ANGLE_CLOSE);
      const hex = end < 0 ? bytes : bytes.subarray(0, end);
      const out = Buffer.allocUnsafe(Math.ceil(hex.length / 2));
      bytes = out.subarray(0, hexInto(hex, 0, hex.length, out, 0));
      if (bytes.length > most) throw past();
    } else if (filter === 'ASCII85Decode' || filter === 'A85') {
      const text = ascii85Text(bytes);
      if (ascii85Length(text) > most) throw past();
      bytes = ascii85(text);
    } else if (filter === 'LZWDecode' || filter === 'LZW' || filter === 'RunLengthDecode' || filter === 'RL')
      throw new UnreadableContentError(`a PDF stream is kept with ${filter}, which is not read`);
    else break; // a picture's own coding (DCT, JPX, CCITT, JBIG2): no text to read
    budget.left -= bytes.length;
  }
  return bytes;
}

const [TILDE, Z_BYTE, FIRST_DIGIT, LAST_DIGIT] = [0x7e, 0x7a, 0x21, 0x75];
const isWhite = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x00;

/** What stands between an optional leading `<~` (after white space) and the first `~>`. */
function ascii85Text(bytes: Buffer): Buffer {
  let from = 0;
  while (from < bytes.length && isWhite(bytes[from]!)) from++;
  from = bytes[from] === ANGLE_OPEN && bytes[from + 1] === TILDE ? from + 2 : 0;
  const end = bytes.indexOf('~>', from, 'latin1');
  return bytes.subarray(from, end < 0 ? bytes.length : end);
}

/** How many bytes `ascii85` makes of `text`, counted without making them. */
function ascii85Length(text: Buffer): number {
  let length = 0;
  let group = 0;
  for (const c of text) {
    if (c === Z_BYTE && group === 0) length += 4;
    else if (c >= FIRST_DIGIT && c <= LAST_DIGIT && ++group === 5) {
      length += 4;
      group = 0;
    }
  }
  return group ? length + group - 1 : length;
}

/** ASCII base-85 (`z` for four zero bytes; white space and other bytes skipped), in one buffer. */
function ascii85(text: Buffer): Buffer {
  const out = Buffer.allocUnsafe(ascii85Length(text));
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    for (let i = 0; i < count; i++) out[n++] = (value >>> (24 - 8 * i)) & 0xff;
    group.length = 0;
  };
  for (const c of text) {
    if (c === Z_BYTE && !group.length) {
      out.fill(0, n, n + 4);
      n += 4;
    } else if (c >= FIRST_DIGIT && c <= LAST_DIGIT) {
      group.push(c - FIRST_DIGIT);
      if (group.length === 5) flush(4);
    }
  }
  if (group.length) flush(group.length - 1);
  return out;
}

/**
 * The text a content stream's strings show, as a reader sees it: each `(literal)` with its escapes read
 * (`\061` is `1`), each `<hex>` string as its bytes; the strings of one `TJ` array joined (its numbers
 * are spacing: `[(+855 12) -250 (000 111)] TJ` shows `+855 12000 111`), those of separate operators
 * (`Tj`, `'`, `"`) with a space between, and a line ended at each text object's end (`ET`).
 *
 * One pass over the bytes into one buffer of their length (what is shown is never longer than what
 * shows it): no pattern that can backtrack, no string per character. A 63 MB stream of escapes took
 * 4.8 s and 1.3 GB read as a string a piece at a time (probe input r6).
 */
export function shownBytes(content: Buffer): Buffer {
  const out = Buffer.allocUnsafe(content.length);
  let n = 0;
  for (const slice of shownSlices(content, out)) n += slice.length;
  return out.subarray(0, n);
}

/** Bytes of a part read before what they show is handed on (`shownSlices`). */
const SLICE = 4 * 1024 * 1024;

/**
 * `shownBytes`, written into `out` (as long as `content`) and handed on each `SLICE` of `content` read,
 * so that its reader may let the event loop go between slices: a 60 MB stream held it a second at a
 * stretch (probe input r10).
 */
export function* shownSlices(content: Buffer, out: Buffer): Generator<Buffer> {
  let n = 0;
  let from = 0;
  let inArray = false;
  const length = content.length;
  for (let i = 0, next = SLICE; i < length;) {
    if (i >= next) {
      yield out.subarray(from, n);
      from = n;
      next = i + SLICE;
    }
    const c = content[i]!;
    if (c === PAREN_OPEN) {
      const at = n;
      ({ end: i, written: n } = literalAt(content, i, out, n));
      n = textStringAt(out, at, n);
      if (!inArray) out[n++] = SPACE;
    } else if (c === ANGLE_OPEN && content[i + 1] === ANGLE_OPEN) i += 2;
    else if (c === ANGLE_OPEN) {
      const end = content.indexOf(ANGLE_CLOSE, i + 1);
      if (end < 0) break;
      n = textStringAt(out, n, hexInto(content, i + 1, end, out, n));
      if (!inArray) out[n++] = SPACE;
      i = end + 1;
    } else {
      if (c === BRACKET_OPEN) inArray = true;
      else if (c === BRACKET_CLOSE) {
        inArray = false;
        out[n++] = SPACE;
      } else if (c === E && content[i + 1] === T && !isLetter(content[i + 2])) out[n++] = NEWLINE;
      i++;
    }
  }
  yield out.subarray(from, n);
}

/** `shownBytes` of a latin1 string. */
export function shownText(content: string): string {
  return shownBytes(Buffer.from(content, 'latin1')).toString('latin1');
}

const [PAREN_OPEN, PAREN_CLOSE, BACKSLASH, ANGLE_OPEN, ANGLE_CLOSE, BRACKET_OPEN, BRACKET_CLOSE] = [
  0x28, 0x29, 0x5c, 0x3c, 0x3e, 0x5b, 0x5d,
];
const [SPACE, NEWLINE, CR, E, T, ZERO, SEVEN, NINE] = [0x20, 0x0a, 0x0d, 0x45, 0x54, 0x30, 0x37, 0x39];
const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };

const isLetter = (c: number | undefined) =>
  c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
const isOctal = (c: number | undefined) => c !== undefined && c >= ZERO && c <= SEVEN;

/**
 * A literal string from its `(` at `start`, its text written into `out` from `n` (nested parentheses
 * balanced): answers where it ends in `content` and where its text ends in `out`.
 */
export function literalAt(
  content: Buffer,
  start: number,
  out: Buffer,
  n: number,
): { end: number; written: number } {
  let depth = 0;
  let i = start;
  for (; i < content.length; i++) {
    const c = content[i]!;
    if (c === BACKSLASH) {
      const next = content[i + 1];
      if (isOctal(next)) {
        let value = 0;
        let digits = 0;
        while (digits < 3 && isOctal(content[i + 1])) {
          value = value * 8 + (content[i + 1]! - ZERO);
          i++;
          digits++;
        }
        out[n++] = value & 0xff;
      } else {
        if (next !== undefined && next !== CR && next !== NEWLINE) out[n++] = ESCAPES[next] ?? next;
        if (next !== undefined) i++;
      }
    } else if (c === PAREN_OPEN) {
      if (depth++ > 0) out[n++] = c;
    } else if (c === PAREN_CLOSE) {
      if (--depth === 0) {
        return { end: i + 1, written: n };
      }
      out[n++] = c;
    } else out[n++] = c;
  }
  return { end: i, written: n };
}

/**
 * A string's bytes (`out`, `from` to `to`) as the text they show when they begin with a byte order mark:
 * UTF-16BE (`FE FF`), as generators write a document's title, a form field's value or a bookmark in any
 * script not in PDFDocEncoding (`<FEFF0030…>`, `(\376\377\000+…)`), or UTF-8 (`EF BB BF`, PDF 2.0).
 * Read as bytes, a digit was a NUL and its byte apart (probe r47, left). Rewritten in place, one
 * character a byte as the rest of the part is (`shownLatin1`), never longer than written (a BOM and two
 * bytes or more a character, one or two bytes out); answers where the text ends. Other strings: as they are.
 */
export function textStringAt(out: Buffer, from: number, to: number): number {
  if (out[from] === 0xfe && out[from + 1] === 0xff) {
    let n = from;
    for (let i = from + 2; i + 1 < to; i += 2) {
      let point = (out[i]! << 8) | out[i + 1]!;
      // A language mark (U+001B, a language code of two or four letters, U+001B) names the language.
      const marked = point === 0x1b ? languageMarkAt(out, i, to) : 0;
      if (marked) {
        i += marked - 2;
        continue;
      }
      if (point >= 0xd800 && point < 0xdc00 && i + 3 < to) {
        const low = (out[i + 2]! << 8) | out[i + 3]!;
        if (low >= 0xdc00 && low < 0xe000) {
          point = 0x10000 + ((point - 0xd800) << 10) + (low - 0xdc00);
          i += 2;
        }
      }
      n = shownLatin1(point, out, n, from);
    }
    return n;
  }
  if (out[from] === 0xef && out[from + 1] === 0xbb && out[from + 2] === 0xbf) {
    let n = from;
    for (const char of out.toString('utf8', from + 3, to))
      n = shownLatin1(char.codePointAt(0)!, out, n, from);
    return n;
  }
  return to;
}

/** The bytes a UTF-16BE language mark at `i` takes (`ESC k o ESC`, `ESC k o K R ESC`), or 0 if none stands there. */
function languageMarkAt(out: Buffer, i: number, to: number): number {
  for (const letters of [2, 4]) {
    const end = i + 2 + 2 * letters;
    if (end + 1 >= to || out[end] !== 0 || out[end + 1] !== 0x1b) continue;
    let all = true;
    for (let k = i + 2; k < end; k += 2) all &&= out[k] === 0 && isLetter(out[k + 1]);
    if (all) return end + 2 - i;
  }
  return 0;
}

/**
 * How each character past latin1 is written into a part's bytes (read as latin1): 0 not yet known, 1 to
 * 256 the byte it folds to plus one (a full-width or look-alike letter: `Ｎ`, a Cyrillic `М`), `DIGITS`
 * on a digit of any script (`៥` is 5; `⑩` 10), `DROPPED` for what takes no place (a zero-width space, a
 * combining mark), `SPACED` for the rest (a Hangul or Khmer letter: no number's part). Found once a
 * character, as `numbersIn` folds it (`identifier-keys.ts`), and kept: 256 KB, filled at most once a process
 * (~0.06 s for every character of the BMP, measured).
 */
let latin1Forms: Int16Array | undefined;
const LATIN1_FORMS = 0x20000;
const [DROPPED, SPACED, DIGITS] = [257, 258, 259];

function shownLatin1(point: number, out: Buffer, n: number, from: number): number {
  if (point < 0x100) {
    out[n++] = point;
    return n;
  }
  // Past plane 1 (ideographs of the extensions, private use): no digit, no letter a number is written in.
  if (point >= LATIN1_FORMS) {
    if (n === from || out[n - 1] !== SPACE) out[n++] = SPACE;
    return n;
  }
  latin1Forms ??= new Int16Array(LATIN1_FORMS);
  let form = latin1Forms[point]!;
  if (form === 0) {
    const char = unseen(String.fromCodePoint(point).normalize('NFKC'));
    const digits = asciiDigits(char);
    const letter = unhomoglyph(char);
    if (!char) form = DROPPED;
    else if (/^\d{1,2}$/.test(digits)) form = DIGITS + Number(digits);
    else if (char.length === 1 && char.charCodeAt(0) < 0x100) form = char.charCodeAt(0) + 1;
    else if (letter.length === 1 && letter.charCodeAt(0) < 0x100) form = letter.charCodeAt(0) + 1;
    else form = SPACED;
    latin1Forms[point] = form;
  }
  if (form === DROPPED) return n;
  // A word of letters past latin1 is one space (runs of eight separators are made one, their `+` too).
  if (form === SPACED) {
    if (n === from || out[n - 1] !== SPACE) out[n++] = SPACE;
  } else if (form >= DIGITS) n += out.write(String(form - DIGITS), n, 'latin1');
  else out[n++] = form - 1;
  return n;
}

/** A `<hex>` string's bytes (between `from` and `to`), written into `out` from `n`; answers the new end. */
export function hexInto(content: Buffer, from: number, to: number, out: Buffer, n: number): number {
  let high = -1;
  for (let i = from; i < to; i++) {
    const digit = hexDigit(content[i]!);
    if (digit < 0) continue;
    if (high < 0) high = digit;
    else {
      out[n++] = high * 16 + digit;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high * 16;
  return n;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

import { promisify } from 'node:util';
import { constants, inflate } from 'node:zlib';
import { UnreadableContentError } from './unreadable-content.error';

const inflated = promisify(inflate);

/** What one stream of a PDF may inflate to. */
const INFLATED_MAX = 64 * 1024 * 1024;

/**
 * A PDF's parts as text, in order: what lies between its streams (the document's information,
 * uncompressed pages), then each stream as its filters leave it (`decoded`). Each part is given raw and
 * as the text its strings show (`shownText`). Pictures (`/Subtype /Image`) are not read.
 */
export async function* pdfParts(pdf: Buffer): AsyncGenerator<string> {
  let at = 0;
  while (at < pdf.length) {
    const start = streamKeyword(pdf, at);
    const outside = pdf.toString('latin1', at, start < 0 ? pdf.length : start);
    yield outside;
    yield shownText(outside);
    if (start < 0) return;
    let body = start + 'stream'.length;
    if (pdf[body] === 0x0d) body++;
    if (pdf[body] === 0x0a) body++;
    let end = pdf.indexOf('endstream', body, 'latin1');
    if (end < 0) end = pdf.length;
    // The stream's dictionary: what stands between the object's start and the keyword.
    const dictionary = outside.slice(Math.max(0, outside.lastIndexOf(' obj') - 32));
    if (!/\/Subtype\s*\/Image\b/.test(dictionary))
      yield shownText((await decoded(pdf.subarray(body, end), filtersOf(dictionary))).toString('latin1'));
    at = end + 'endstream'.length;
  }
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
  const named = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(dictionary);
  return named ? [...named[1]!.matchAll(/\/(\w+)/g)].map((m) => m[1]!) : [];
}

/**
 * A stream with its filters undone. Flate past what a stream may inflate to is refused, as are filters
 * this cannot undo (LZW, run-length): what they hide could not be weighed. A stream that is not what its
 * filter says is read as it is.
 */
async function decoded(raw: Buffer, filters: string[]): Promise<Buffer> {
  let bytes = raw;
  for (const filter of filters) {
    if (filter === 'FlateDecode' || filter === 'Fl')
      bytes = await inflated(bytes, {
        finishFlush: constants.Z_SYNC_FLUSH,
        maxOutputLength: INFLATED_MAX,
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ERR_BUFFER_TOO_LARGE')
          throw new UnreadableContentError(`a PDF stream inflates past ${INFLATED_MAX} bytes`);
        return bytes;
      });
    else if (filter === 'ASCIIHexDecode' || filter === 'AHx')
      bytes = Buffer.from(hexText(bytes.toString('latin1').split('>')[0]!), 'latin1');
    else if (filter === 'ASCII85Decode' || filter === 'A85') bytes = ascii85(bytes.toString('latin1'));
    else if (filter === 'LZWDecode' || filter === 'LZW' || filter === 'RunLengthDecode' || filter === 'RL')
      throw new UnreadableContentError(`a PDF stream is kept with ${filter}, which is not read`);
    else break; // a picture's own coding (DCT, JPX, CCITT, JBIG2): no text to read
  }
  return bytes;
}

/** ASCII base-85 (`<~…~>`, `z` for four zero bytes). */
function ascii85(text: string): Buffer {
  const body = text
    .replace(/^\s*<~/, '')
    .split('~>')[0]!
    .replace(/\s/g, '');
  const out: number[] = [];
  let group: number[] = [];
  const flush = (count: number) => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    for (let i = 0; i < count; i++) out.push((value >>> (24 - 8 * i)) & 0xff);
    group = [];
  };
  for (const c of body) {
    if (c === 'z' && !group.length) out.push(0, 0, 0, 0);
    else if (c >= '!' && c <= 'u') {
      group.push(c.charCodeAt(0) - 33);
      if (group.length === 5) flush(4);
    }
  }
  if (group.length) flush(group.length - 1);
  return Buffer.from(out);
}

/**
 * The text a content stream's strings show, as a reader sees it: each `(literal)` with its escapes read
 * (`\061` is `1`), each `<hex>` string as its bytes; the strings of one `TJ` array joined (its numbers
 * are spacing: `[(+855 12) -250 (000 111)] TJ` shows `+855 12000 111`), those of separate operators
 * (`Tj`, `'`, `"`) with a space between, and a line ended at each text object's end (`ET`). One pass,
 * whatever the content: no pattern that can backtrack.
 */
export function shownText(content: string): string {
  const out: string[] = [];
  let inArray = false;
  for (let i = 0; i < content.length;) {
    const c = content[i];
    if (c === '(') {
      const { text, end } = literalAt(content, i);
      out.push(text);
      if (!inArray) out.push(' ');
      i = end;
    } else if (c === '<' && content[i + 1] === '<') i += 2;
    else if (c === '<') {
      const end = content.indexOf('>', i + 1);
      if (end < 0) break;
      out.push(hexText(content.slice(i + 1, end)));
      if (!inArray) out.push(' ');
      i = end + 1;
    } else {
      if (c === '[') inArray = true;
      else if (c === ']') {
        inArray = false;
        out.push(' ');
      } else if (c === 'E' && content[i + 1] === 'T' && !/[A-Za-z]/.test(content[i + 2] ?? ' '))
        out.push('\n');
      i++;
    }
  }
  return out.join('');
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** A literal string from its `(` at `start`: its text and where it ends (nested parentheses balanced). */
function literalAt(content: string, start: number): { text: string; end: number } {
  let text = '';
  let depth = 0;
  let i = start;
  for (; i < content.length; i++) {
    const c = content[i];
    if (c === '\\') {
      const next = content[i + 1] ?? '';
      const octal = /^[0-7]{1,3}/.exec(content.slice(i + 1, i + 4));
      if (octal) {
        text += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
        i += octal[0].length;
      } else {
        text += ESCAPES[next] ?? (next === '\r' || next === '\n' ? '' : next);
        i++;
      }
    } else if (c === '(') {
      if (depth++ > 0) text += c;
    } else if (c === ')') {
      if (--depth === 0) return { text, end: i + 1 };
      text += c;
    } else text += c;
  }
  return { text, end: i };
}

function hexText(hex: string): string {
  const digits = hex.replace(/[^0-9A-Fa-f]/g, '');
  return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex').toString('latin1');
}

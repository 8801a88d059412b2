import { promisify } from 'node:util';
import { constants, inflate } from 'node:zlib';

const inflated = promisify(inflate);

/** What one stream of a PDF may inflate to. */
const INFLATED_MAX = 64 * 1024 * 1024;

/**
 * A PDF's parts as text, in order: what lies between its streams (the document's information,
 * uncompressed pages), then each stream, inflated when compressed (FlateDecode; another filter is read
 * as it is). Each part is given raw and as the text its strings show (`shownText`).
 */
export async function* pdfParts(pdf: Buffer): AsyncGenerator<string> {
  let at = 0;
  while (at < pdf.length) {
    let start = pdf.indexOf('stream', at, 'latin1');
    while (start >= 3 && pdf.toString('latin1', start - 3, start) === 'end')
      start = pdf.indexOf('stream', start + 6, 'latin1');
    const outside = pdf.toString('latin1', at, start < 0 ? pdf.length : start);
    yield outside;
    yield shownText(outside);
    if (start < 0) return;
    let body = start + 'stream'.length;
    if (pdf[body] === 0x0d) body++;
    if (pdf[body] === 0x0a) body++;
    let end = pdf.indexOf('endstream', body, 'latin1');
    if (end < 0) end = pdf.length;
    const raw = pdf.subarray(body, end);
    const content = await inflated(raw, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: INFLATED_MAX,
    }).catch(() => raw);
    yield shownText(content.toString('latin1'));
    at = end + 'endstream'.length;
  }
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

/**
 * JSON's string escapes read as the characters they stand for, when a file looks like JSON (it begins
 * as an object or an array does: `JSON_START`): an export or an API dump may write any character as `\u`
 * and four hex digits (`"0071\u00a02233"`, `"\u0030\u0030\u0037\u0031…"`), which read as text is no
 * number (probe r47, left). Not parsed: one pass of one pattern over the text, whatever its nesting (a
 * file of a million `[` costs what any text of its length does), never longer than it was.
 */
export const looksLikeJson = (head: string) => JSON_START.test(head);
/**
 * An object's first key or its end (`{"`, `{}`), an array's first value (`[{`, `[[`, `["`, `[]`, `[1,`,
 * `[true`), after a byte order mark (as a character, or its UTF-8 bytes read as latin1) and white space.
 * Not RTF (`{\rtf1`, a backslash a word: every such file was read twice), nor a log's `[2026-03-04 …]`.
 */
const JSON_START =
  /^(?:\uFEFF|\xEF\xBB\xBF)?[\t\n\r ]*(?:\{[\t\n\r ]*["}]|\[[\t\n\r ]*(?:[[{"\]]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[\t\n\r ]*[,\]]|true\b|false\b|null\b))/;

const ESCAPES: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9 };
/** UTF-16 units made at a time, handed on as UTF-8 before more are made. */
const PIECE = 64 * 1024;

/**
 * The text with its escapes read, as UTF-8 a piece at a time, in one pass. `replace` with a function
 * held a string for each of 15 million `\n` (a 30 KB ZIP) and ended the server for heap (probe input r10).
 */
export function* jsonUnescapedPieces(text: string): Generator<Buffer> {
  const units = new Uint16Array(PIECE + 1);
  let n = 0;
  const flush = (all: boolean) => {
    // A surrogate pair's first half waits for its second.
    const keep = !all && n > 0 && units[n - 1]! >= 0xd800 && units[n - 1]! < 0xdc00 ? 1 : 0;
    const piece = Buffer.from(Buffer.from(units.buffer, 0, 2 * (n - keep)).toString('utf16le'));
    units.copyWithin(0, n - keep, n);
    n = keep;
    return piece;
  };
  for (let i = 0; i < text.length; i++) {
    let unit = text.charCodeAt(i);
    if (unit === 0x5c && i + 1 < text.length) {
      const next = text[i + 1]!;
      const hex = next === 'u' ? text.slice(i + 2, i + 6) : '';
      if (/^[\da-fA-F]{4}$/.test(hex)) {
        unit = parseInt(hex, 16);
        i += 5;
      } else {
        unit = ESCAPES[next] ?? text.charCodeAt(i + 1);
        i++;
      }
    }
    units[n++] = unit;
    if (n >= PIECE) yield flush(false);
  }
  if (n) yield flush(true);
}

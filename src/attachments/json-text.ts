/**
 * JSON's string escapes read as the characters they stand for, when a file looks like JSON (its first
 * character past white space `{` or `[`): an export or an API dump may write any character as `\u`
 * and four hex digits (`"0071\u00a02233"`, `"\u0030\u0030\u0037\u0031…"`), which read as text is no
 * number (probe r47, left). Not parsed: one pass of one pattern over the text, whatever its nesting (a
 * file of a million `[` costs what any text of its length does), never longer than it was.
 */
export const looksLikeJson = (head: string) => /^\uFEFF?[\t\n\r ]*[[{]/.test(head);

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function jsonUnescaped(text: string): string {
  return text.replace(/\\(?:u([\da-fA-F]{4})|(.))/gs, (_, hex: string | undefined, char: string) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (ESCAPES[char] ?? char),
  );
}

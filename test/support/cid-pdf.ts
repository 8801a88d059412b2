import { deflateSync } from 'node:zlib';

/**
 * Glyph numbers as a subset font numbers them (Calibri as Word embeds it, roughly): digits from 0x13,
 * letters from 0x24 (capitals) and 0x44 (small), a space 0x03, a dash 0x10, a plus 0x0e, a colon 0x1d.
 * None of them is the character's own code, so a reader that takes the strings' bytes sees no digit.
 */
function glyphOf(char: string): number {
  const c = char.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return 0x13 + c - 0x30;
  if (c >= 0x41 && c <= 0x5a) return 0x24 + c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return 0x44 + c - 0x61;
  return { ' ': 0x03, '-': 0x10, '+': 0x0e, ':': 0x1d }[char] ?? 0x03;
}

/** `text` as an Identity-H hex string's glyph numbers: `<0013 0014 …>`. */
export const glyphHex = (text: string) =>
  `<${[...text].map((c) => glyphOf(c).toString(16).padStart(4, '0').toUpperCase()).join(' ')}>`;

/** The ToUnicode CMap of the glyphs above: digits and letters as ranges, the rest one by one. */
export const TO_UNICODE = [
  '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
  '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
  '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
  '1 begincodespacerange <0000> <FFFF> endcodespacerange',
  '4 beginbfchar <0003> <0020> <0010> <002D> <000E> <002B> <001D> <003A> endbfchar',
  '3 beginbfrange <0013> <001C> <0030> <0024> <003D> <0041> <0044> <005D> [<0061> <0062> <0063> <0064> <0065> <0066> <0067> <0068> <0069> <006A> <006B> <006C> <006D> <006E> <006F> <0070> <0071> <0072> <0073> <0074> <0075> <0076> <0077> <0078> <0079> <007A>] endbfrange',
  'endcmap CMapName currentdict /CMap defineresource pop end end',
].join('\n');

const TYPE0 =
  '<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Calibri /Encoding /Identity-H ' +
  '/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>';
const DESCENDANT =
  '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Calibri ' +
  '/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /CIDToGIDMap /Identity >>';

/**
 * A PDF of one page whose text is drawn in a Type0 font with `/Identity-H` and a `/ToUnicode` CMap, as
 * Word's and browsers' "Save as PDF" write it: `content` is the page's content stream (with `/F1`
 * chosen), `cmap` the font's map; both deflated when `compressed`.
 */
export function aCidPdf(
  content: string,
  { compressed = true, cmap = TO_UNICODE, objectStream = false } = {},
): Buffer {
  const stream = (number: number, text: string, dictionary = '') => {
    const body = compressed ? deflateSync(Buffer.from(text, 'latin1')) : Buffer.from(text, 'latin1');
    return Buffer.concat([
      Buffer.from(
        `${number} 0 obj\n<< /Length ${body.length}${compressed ? ' /Filter /FlateDecode' : ''}${dictionary} >>\nstream\n`,
        'latin1',
      ),
      body,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]);
  };
  const fonts = Buffer.from(`5 0 obj\n${TYPE0}\nendobj\n6 0 obj\n${DESCENDANT}\nendobj\n`, 'latin1');
  /** Objects compressed into an object stream, as Word writes its fonts (`/Type /ObjStm`). */
  const objectStreamOf = (number: number, objects: Array<[number, string]>) => {
    let offsets = '';
    let bodies = '';
    for (const [n, body] of objects) {
      offsets += `${n} ${bodies.length} `;
      bodies += `${body}\n`;
    }
    return stream(number, offsets + bodies, ` /Type /ObjStm /N ${objects.length} /First ${offsets.length}`);
  };
  return Buffer.concat([
    Buffer.from(
      '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n' +
        '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
        '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n' +
        '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n',
      'latin1',
    ),
    stream(4, content),
    objectStream
      ? objectStreamOf(8, [
          [5, TYPE0],
          [6, DESCENDANT],
        ])
      : fonts,
    stream(7, cmap),
    Buffer.from('trailer\n<< /Root 1 0 R /Size 8 >>\n%%EOF\n', 'latin1'),
  ]);
}

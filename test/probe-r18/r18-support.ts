import { deflateSync, gzipSync } from 'node:zlib';

/** What KR's file says: the number KH gave KR under AMBER (`personKhGaveKr`), as a call log writes it. */
export const SAYS = 'Subscriber +855 12 000 111 paid the compound on 3 March';

/** A one-page PDF whose content stream is `stream` with `dict` entries (a filter), after `before` objects. */
export function pdfWith(stream: Buffer, dict = '', before = ''): Buffer {
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n` +
        `3 0 obj <</Type /Page /Parent 2 0 R /Contents 4 0 R>> endobj\n${before}` +
        `4 0 obj <</Length ${stream.length}${dict}>> stream\n`,
      'latin1',
    ),
    stream,
    Buffer.from('\nendstream endobj\ntrailer <</Root 1 0 R /Info 5 0 R>>\n%%EOF\n', 'latin1'),
  ]);
}

/** A content stream showing `shown` (a PDF string's body, escapes as written). */
export const showing = (shown: string) => Buffer.from(`BT /F1 12 Tf 72 720 Td (${shown}) Tj ET`, 'latin1');

export const asciiHex = (b: Buffer) => Buffer.from(`${b.toString('hex')}>`, 'latin1');

/** ASCII85 as PDF's ASCII85Decode reads it (`z` for four zero bytes, `~>` at the end). */
export function ascii85(b: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const chunk = Buffer.alloc(4);
    b.copy(chunk, 0, i, Math.min(i + 4, b.length));
    const n = Math.min(4, b.length - i);
    let v = chunk.readUInt32BE(0);
    if (v === 0 && n === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(33 + (v % 85)));
      v = Math.floor(v / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return Buffer.from(`${out}~>`, 'latin1');
}

export { deflateSync, gzipSync };

export { zipOf } from '../support/zip-files';

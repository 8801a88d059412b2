import { ValidationFailedError } from '../common/errors/domain-errors';
import { RangeNotSatisfiableError } from './attachment-errors';
import { contentDisposition, readFilename, savedFilename } from './attachment-filename';
import { detectMediaType, looksLikeText } from './attachment-types';
import { parseRange } from './byte-range';

describe('attachment filenames', () => {
  it('takes percent-encoded UTF-8 and normalises it to NFC', () => {
    expect(readFilename(encodeURIComponent('증거 자료.pdf'))).toBe('증거 자료.pdf');
    expect(readFilename(encodeURIComponent('Cafe\u0301.png'))).toBe('Café.png');
  });

  it.each([
    ['a path', '../etc/passwd'],
    ['a Windows path', 'C:\\boot.ini'],
    ['a NUL', 'a\u0000.pdf'],
    ['a newline (header injection in a later download)', 'a\r\nSet-Cookie: x.pdf'],
    ['a C1 control', 'a\u0085.pdf'],
    ['a right-to-left override', 'invoice\u202Efdp.exe'],
    ['an Arabic letter mark', 'invoice\u061Cfdp.exe'],
    ['a noncharacter', '\uFFFE'],
    ['a noncharacter beyond the first plane', 'a\u{10FFFF}.pdf'],
    ['dot-dot', '..'],
    ['leading spaces', '  x.pdf'],
    ['nothing', ''],
    ['256 characters', 'x'.repeat(256)],
    ['braille blanks alone', '\u2800\u2800\u2800'],
    ['Hangul fillers alone', '\u3164\u115F\u1160\uFFA0'],
    ['zero-width characters alone', '\u200B\u200C\u200D\u2060\uFEFF'],
    ['a BOM first', '\uFEFFreport.pdf'],
  ])('refuses %s', (_, name) => {
    expect(() => readFilename(encodeURIComponent(name))).toThrow(ValidationFailedError);
  });

  // Zero-width characters are letters' business in the region's scripts: Khmer writes U+200B between
  // words, Persian and Indic scripts need the joiners (U+200C, U+200D), emoji sequences U+200D.
  it.each([
    ['Khmer words apart', 'របាយការណ៍\u200Bប៉ូលិស.txt'],
    ['a non-joiner in a Persian word', 'گزارش\u200Cها.pdf'],
    ['a joined emoji', 'team \u{1F468}\u200D\u{1F469}.pdf'],
  ])('takes zero-width characters among visible ones: %s', (_, name) => {
    expect(readFilename(encodeURIComponent(name))).toBe(name.normalize('NFC'));
  });

  it('refuses what is not percent-encoding and a missing header', () => {
    expect(() => readFilename('%E0%A4%A')).toThrow(ValidationFailedError);
    expect(() => readFilename(undefined)).toThrow(ValidationFailedError);
    expect(() => readFilename(['a', 'b'])).toThrow(ValidationFailedError);
    // Unencoded UTF-8 bytes, as Node reads a header (Latin-1): `café` would be stored as `cafÃ©`.
    expect(() => readFilename(Buffer.from('café.txt').toString('latin1'))).toThrow(ValidationFailedError);
    expect(() => readFilename('caf\u00e9.txt')).toThrow(ValidationFailedError);
  });

  it('writes a Content-Disposition whose quoted name cannot be broken out of', () => {
    expect(contentDisposition('a"b\\c ü.pdf')).toBe(
      `attachment; filename="a_b_c _.pdf"; filename*=UTF-8''a%22b%5Cc%20%C3%BC.pdf`,
    );
    expect(contentDisposition("it's (1).pdf")).toBe(
      `attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`,
    );
  });
});

describe('the name a file is saved under', () => {
  it.each([
    ['a name that says its type', 'Statement 3 March.pdf', 'application/pdf', 'Statement 3 March.pdf'],
    ['another case of it', 'SCAN.JPEG', 'image/jpeg', 'SCAN.JPEG'],
    ['text named as a script', 'run.bat', 'text/plain', 'run.bat.txt'],
    ['text named as a page', 'page.html', 'text/plain', 'page.html.txt'],
    ['a PDF named as a program', 'statement.exe', 'application/pdf', 'statement.exe.pdf'],
    ['a reserved Windows name', 'CON', 'text/plain', 'CON.txt'],
    ['a trailing dot', 'report.pdf.', 'text/plain', 'report.pdf..txt'],
    ['what Windows refuses', 'a:b<c>|?*".pdf', 'application/pdf', 'a_b_c_____.pdf'],
    ['a dot file', '.pdf', 'application/pdf', '.pdf.pdf'],
  ])('%s', (_, label, type, saved) => {
    expect(savedFilename(label, type)).toBe(saved);
  });

  it('fits 255 bytes, cutting whole characters before the extension', () => {
    expect(savedFilename('x'.repeat(255), 'text/plain')).toBe(`${'x'.repeat(251)}.txt`);
    const emoji = savedFilename(`${'\u{1F600}'.repeat(250)}.pdf`, 'application/pdf');
    expect(emoji).toBe(`${'\u{1F600}'.repeat(62)}.pdf`);
    expect(Buffer.byteLength(savedFilename('\uFDFA'.repeat(255), 'text/plain'))).toBeLessThanOrEqual(255);
  });
});

describe('byte ranges', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=990-', { start: 990, end: 999 }],
    ['bytes=-10', { start: 990, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=500-5000', { start: 500, end: 999 }],
  ])('%s of 1000 bytes', (header, range) => {
    expect(parseRange(header, 1000)).toEqual(range);
  });

  it.each([undefined, 'items=0-1', 'bytes=0-1,5-6', 'bytes=abc', 'bytes=9-3', 'bytes=-'])(
    'ignores %s (the whole file)',
    (header) => {
      expect(parseRange(header, 1000)).toBeNull();
    },
  );

  it('refuses a range that starts beyond the end with 416 and the size', () => {
    expect(() => parseRange('bytes=1000-', 1000)).toThrow(RangeNotSatisfiableError);
    expect(() => parseRange('bytes=-0', 1000)).toThrow(RangeNotSatisfiableError);
  });
});

describe('attachment types, from the bytes', () => {
  it('recognises the allowed types by their magic numbers, whatever the name says', async () => {
    expect(await detectMediaType(Buffer.from('%PDF-1.7\n%%EOF'), 'photo.jpg')).toBe('application/pdf');
    expect(
      await detectMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]), 'x'),
    ).toBe('image/jpeg');
    expect(
      await detectMediaType(Buffer.from('PK\u0003\u0004' + '\u0000'.repeat(40), 'binary'), 'x.zip'),
    ).toBe('application/zip');
  });

  it('takes plain UTF-8 text without a magic number, as CSV when so named', async () => {
    expect(await detectMediaType(Buffer.from('name;phone\nSok;+855\n'), 'list.CSV')).toBe('text/csv');
    expect(await detectMediaType(Buffer.from('메모\tnote\r\n'), 'memo.txt')).toBe('text/plain');
  });

  it('refuses other types and binary without one', async () => {
    await expect(detectMediaType(Buffer.from('GIF89a\u0000\u0000'), 'x.gif')).rejects.toMatchObject({
      status: 415,
      extensions: { detectedType: 'image/gif' },
    });
    await expect(
      detectMediaType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'x.txt'),
    ).rejects.toMatchObject({
      status: 415,
    });
    await expect(detectMediaType(Buffer.from([1, 2, 3, 0, 0, 9]), 'x.txt')).rejects.toMatchObject({
      status: 415,
    });
  });

  it('refuses text that begins as a browser reads HTML or SVG, not text that mentions a tag later', async () => {
    for (const [head, type] of [
      ['<!DOCTYPE html><p>x', 'text/html'],
      ['\uFEFF \n<script>alert(1)</script>', 'text/html'],
      ['<A href="x">', 'text/html'],
      ['<!-- x -->', 'text/html'],
      ['<svg onload="alert(1)"/>', 'image/svg+xml'],
    ])
      await expect(detectMediaType(Buffer.from(head), 'x.txt')).rejects.toMatchObject({
        status: 415,
        extensions: { detectedType: type },
      });
    for (const head of ['Notes\n<html>', '<< 5 >>', '<Sok> said', '<bold claim'])
      expect(await detectMediaType(Buffer.from(head), 'x.txt')).toBe('text/plain');
  });

  it('does not refuse text whose sample ends inside a multi-byte character', () => {
    const text = Buffer.from('가나다');
    expect(looksLikeText(text.subarray(0, 7))).toBe(true);
    expect(looksLikeText(Buffer.from([0x61, 0xff, 0x62]))).toBe(false);
  });
});

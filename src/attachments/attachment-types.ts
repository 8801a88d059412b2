import { fileTypeFromBuffer } from 'file-type';
import { AttachmentTypeRefusedError } from './attachment-errors';

/**
 * What an attachment may be, judged from its bytes (never from the filename or the Content-Type the
 * client claims): documents and pictures a task force exchanges, and ZIP for phone extracts. Office
 * files, executables, HTML, SVG and anything else are refused: a file the receiving officer's
 * machine would run or render with scripts has no place in an evidence exchange.
 */
export const ALLOWED_MEDIA_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/tiff',
  'application/zip',
  'text/plain',
  'text/csv',
] as const;

export type AllowedMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

/**
 * What the name of a saved file of each type ends in (the first when another must be added): a file
 * opens in the program its extension names, whatever its bytes are (`savedFilename`).
 */
export const MEDIA_TYPE_EXTENSIONS: Record<AllowedMediaType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/tiff': ['tif', 'tiff'],
  'application/zip': ['zip'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
};

/** Bytes read before deciding the type: file-type's own recommended sample size. */
export const SNIFF_BYTES = 4100;

const BINARY_TYPES = new Set<string>(ALLOWED_MEDIA_TYPES.filter((t) => !t.startsWith('text/')));

/**
 * The media type of a file from its first bytes. A file with no magic number is accepted as text
 * when those bytes are UTF-8 without control characters other than tab, line breaks and form feed;
 * `text/csv` when its name ends in `.csv`.
 */
export async function detectMediaType(head: Buffer, filename: string): Promise<string> {
  const found = await fileTypeFromBuffer(head);
  if (found) {
    if (BINARY_TYPES.has(found.mime)) return found.mime;
    throw new AttachmentTypeRefusedError(found.mime, ALLOWED_MEDIA_TYPES);
  }
  if (!looksLikeText(head)) throw new AttachmentTypeRefusedError(null, ALLOWED_MEDIA_TYPES);
  const markup = markupType(head);
  if (markup) throw new AttachmentTypeRefusedError(markup, ALLOWED_MEDIA_TYPES);
  return /\.csv$/i.test(filename) ? 'text/csv' : 'text/plain';
}

/**
 * Text that begins as a browser takes a page of unknown type for HTML (WHATWG MIME Sniffing, "rules for
 * identifying an unknown MIME type": after white space, one of these tags ended by a space or `>`), or
 * as an SVG (`file-type` finds `<?xml` itself). Saved and opened, it renders with its scripts: refused
 * like any HTML, not let through as text (probe r24).
 */
const HTML =
  /^\uFEFF?[\t\n\f\r ]*<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[ >]/i;
const SVG = /^\uFEFF?[\t\n\f\r ]*<svg[\t\n\f\r />]/i;

function markupType(head: Buffer): string | null {
  const start = head.subarray(0, 512).toString('utf8');
  if (HTML.test(start)) return 'text/html';
  if (SVG.test(start)) return 'image/svg+xml';
  return null;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

export function looksLikeText(head: Buffer): boolean {
  // The sample may end inside a multi-byte character: drop up to three trailing bytes of one.
  let end = head.length;
  for (let i = 0; i < 3 && end > 0 && (head[end - 1] & 0xc0) === 0x80; i++) end--;
  if (end > 0 && head[end - 1] >= 0xc0) end--;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
  } catch {
    return false;
  }
  return !CONTROL.test(text);
}

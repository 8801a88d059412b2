import { ValidationFailedError } from '../common/errors/domain-errors';
import { hasVisibleCharacter } from '../common/http/validators';

export const FILENAME_HEADER = 'x-filename';

/**
 * Path separators, C0/C1 controls, bidirectional overrides (which disguise `exe.pdf` as `fdp.exe`) and
 * noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF…: not for interchange; a ZIP bundle carried one into the
 * names a prosecutor's tools read).
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const REFUSED = /[/\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\p{Noncharacter_Code_Point}]/u;

/**
 * The filename an uploader gives in `X-Filename`, percent-encoded UTF-8 (HTTP headers carry ASCII).
 * It is only a label: storage is by hash, so a name can never choose a path. Still refused when it
 * could mislead or break whoever saves the file later: separators, controls, `.`/`..`, over 255.
 */
export function readFilename(raw: string | string[] | undefined): string {
  const field = 'X-Filename';
  const fail = (message: string): never => {
    throw new ValidationFailedError([{ field, message }], 'The filename is not acceptable.');
  };
  if (typeof raw !== 'string' || raw.trim() === '')
    return fail('X-Filename is required (percent-encoded UTF-8)');
  // Percent-encoded, the header is ASCII: raw UTF-8 bytes reach us read as Latin-1 (`café` sent raw was
  // stored as `cafÃ©`), so a name with any other byte is refused rather than stored garbled.
  if (/[^\x20-\x7e]/.test(raw))
    return fail('X-Filename must be percent-encoded UTF-8 (ASCII characters only)');
  let name: string;
  try {
    name = decodeURIComponent(raw).normalize('NFC');
  } catch {
    return fail('X-Filename must be percent-encoded UTF-8');
  }
  if (REFUSED.test(name)) return fail('the filename must not contain path separators, control characters or noncharacters');
  if (name.trim() !== name || name === '.' || name === '..')
    return fail('the filename must not be "." or "..", nor start or end with spaces');
  if ([...name].length > 255) return fail('the filename may hold at most 255 characters');
  // A name of zero-width spaces alone is listed blank: no one can tell the file from its neighbours.
  if (!hasVisibleCharacter(name)) return fail('the filename must contain a visible character');
  return name;
}

/**
 * `Content-Disposition` for a download: an ASCII fallback for old clients and the exact name as
 * RFC 8187 `filename*`. Quotes and backslashes never reach the quoted form.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

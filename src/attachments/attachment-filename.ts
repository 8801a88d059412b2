import { ValidationFailedError } from '../common/errors/domain-errors';
import { hasVisibleCharacter } from '../common/http/validators';
import { AllowedMediaType, MEDIA_TYPE_EXTENSIONS } from './attachment-types';

export const FILENAME_HEADER = 'x-filename';

/**
 * Path separators, C0/C1 controls, bidirectional controls (overrides, which disguise `exe.pdf` as
 * `fdp.exe`, and the marks, the Arabic letter mark U+061C among them: probe r24) and
 * noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF…: not for interchange; a ZIP bundle carried one into the
 * names a prosecutor's tools read).
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const REFUSED = /[/\\\u0000-\u001f\u007f-\u009f\p{Bidi_Control}\p{Noncharacter_Code_Point}]/u;

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
  if (REFUSED.test(name))
    return fail('the filename must not contain path separators, control characters or noncharacters');
  if (name.trim() !== name || name === '.' || name === '..')
    return fail('the filename must not be "." or "..", nor start or end with spaces');
  if ([...name].length > 255) return fail('the filename may hold at most 255 characters');
  // A name of zero-width spaces or braille blanks alone is listed blank: no one can tell the file from its
  // neighbours (probe r24). Among visible characters they stay: Khmer separates words with U+200B, Persian
  // and Indic scripts need the joiners.
  if (!hasVisibleCharacter(name)) return fail('the filename must contain a visible character');
  return name;
}

/** What Windows cannot put in a file name (`a:b.pdf` would even write an NTFS stream `b.pdf` of `a`). */
const UNSAVEABLE = /[<>:"|?*]/g;
/** The longest file name file systems take: 255 UTF-8 bytes (ext4, APFS); NTFS's 255 UTF-16 units are never fewer. */
const NAME_MAX_BYTES = 255;

/**
 * The name a file is saved under, by the recipient's browser (the download's `Content-Disposition`)
 * or unzip (the case bundle's entries): the uploader's label, but ending in an extension of the type
 * its bytes are — a text file labelled `run.bat` or `page.html` is saved as `run.bat.txt`, which opens
 * as text instead of running; a PDF labelled `statement.exe` as `statement.exe.pdf` —, with `_` for
 * what Windows refuses, and cut (before the extension) to fit a file system's 255 bytes (probe r24).
 * The label itself stays as given: it is what the listing and the bundle's manifest show.
 */
export function savedFilename(label: string, mediaType: string): string {
  const extensions = MEDIA_TYPE_EXTENSIONS[mediaType as AllowedMediaType] ?? ['bin'];
  const name = label.replace(UNSAVEABLE, '_');
  const dot = name.lastIndexOf('.');
  const own = dot > 0 && extensions.includes(name.slice(dot + 1).toLowerCase());
  const stem = [...(own ? name.slice(0, dot) : name)];
  const extension = own ? name.slice(dot) : `.${extensions[0]}`;
  while (Buffer.byteLength(stem.join('') + extension) > NAME_MAX_BYTES) stem.pop();
  return stem.join('') + extension;
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

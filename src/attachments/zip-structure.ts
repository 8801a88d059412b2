import type { Readable, Transform } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { AttachmentArchiveRefusedError, AttachmentUnreadableError, ZipProblem } from './attachment-errors';
import { nextEntry } from './zip-reader';

/**
 * The structure rule every uploaded ZIP meets, whatever its uploader's country has received (probe r24:
 * it was only read through when the number weighing read it, so the same bytes were 201 for one country
 * and 422 for another). What it guards is the recipient's unzip: a file that lands outside the folder it
 * is extracted into, one entry silently overwriting another, sizes that lie to the extractor, data that
 * does not inflate to what the headers say, or an archive that writes far more than it weighs.
 *
 * Read through yauzl (`zip-reader.ts`, the reader of the number weighing), entry by entry, in one pass:
 * names, declared sizes and local headers first, then the entry's data, inflated by us as it streams to
 * check its CRC and size — never past what the headers declare, and an entry is not inflated at all
 * when what it declares already passes a bound. Memory stays flat: one chunk, the set of paths.
 */

export interface ZipLimits {
  /** Bytes all entries may inflate to together (`ATTACHMENT_ZIP_MAX_EXPANDED_BYTES`). */
  maxExpandedBytes: number;
}

/**
 * An entry larger than this may not inflate to more than `MAX_RATIO` times its compressed size. Documents,
 * pictures, chat exports and databases of a phone extract deflate 1:1 to about 20:1; deflate itself cannot
 * pass about 1,030:1, which only long runs of one byte reach — the stuff of a bomb (probe r24: 300 MB of
 * zeros in a 305 KB entry). Below a few MB the ratio does not matter: the total bound holds those.
 */
export const RATIO_FROM_BYTES = 4 * 1024 * 1024;
export const MAX_RATIO = 100;
/**
 * Entries one ZIP may hold. Each costs a read of its local header and data from the storage (a request
 * each on S3); a phone extract of documents holds thousands, 200 MB of empty entries over a million.
 */
export const MAX_ENTRIES = 100_000;
/** A symbolic link's target is a path, not a file: longer than this it is not a link. */
const LINK_TARGET_MAX = 4096;

/** Opens the ZIP with yauzl's `options` (a stored file, or bytes in memory in unit tests). */
export type ZipOpener = (options: yauzl.Options) => Promise<yauzl.ZipFile>;

/** Refuses (422) a ZIP that breaks the rule; resolves when every entry is safe to extract. */
export async function checkZipStructure(
  open: ZipOpener,
  limits: ZipLimits,
  /** What inflates an entry's data (a unit test counts what comes out of it). */
  inflater: () => Transform = createInflateRaw,
): Promise<void> {
  // Names undecoded: yauzl would read `a\b` as `a/b` and refuse `../` before we saw the entry; the
  // rule decodes both the name and its Unicode Path field itself and refuses with the entry named.
  const zip = await open({
    lazyEntries: true,
    autoClose: false,
    decodeStrings: false,
    // Sizes are checked against the data below, with the entry named.
    validateEntrySizes: false,
  }).catch((error: Error) =>
    unreadable('damaged-directory', `its directory cannot be read (${error.message})`),
  );
  try {
    if (zip.entryCount > MAX_ENTRIES)
      refuse('too-many-entries', null, `it holds ${zip.entryCount} entries, more than ${MAX_ENTRIES}`);
    const paths = new ExtractedPaths();
    const spans: Array<[start: number, end: number]> = [];
    let declared = 0;
    for (;;) {
      const entry = await nextEntryOf(zip);
      if (!entry) break;
      const name = safeName(entry);
      if (paths.collides(name))
        refuse('same-path', name, 'two of its entries would be extracted to the same path');
      if (
        entry.uncompressedSize > RATIO_FROM_BYTES &&
        entry.uncompressedSize > MAX_RATIO * entry.compressedSize
      )
        refuse(
          'compression-ratio',
          name,
          `an entry of ${entry.uncompressedSize} bytes is compressed more than ${MAX_RATIO} to 1`,
        );
      declared += entry.uncompressedSize;
      if (declared > limits.maxExpandedBytes)
        refuse(
          'expansion-limit',
          name,
          `its entries inflate to more than ${limits.maxExpandedBytes} bytes together`,
        );
      const local = await localHeaderOf(zip, entry, name);
      spans.push([entry.relativeOffsetOfLocalHeader, local.fileDataStart + entry.compressedSize]);
      // Without the key its data cannot be read: its name and declared sizes are all there is to check.
      if (entry.isEncrypted()) continue;
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
        unreadable(
          'unsupported-compression',
          `an entry is compressed with method ${entry.compressionMethod}, which cannot be checked`,
          name,
        );
      if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize)
        unreadable(
          'size-mismatch',
          `a stored entry's headers declare ${entry.compressedSize} bytes stored for ${entry.uncompressedSize}`,
          name,
        );
      const head = await checkedData(zip, entry, local.fileDataStart, name, inflater);
      if (isLink(entry)) checkLink(name, head);
    }
    // Two entries sharing bytes are how a bomb gets past any ratio (a "non-recursive" ZIP bomb).
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++)
      if (spans[i][0] < spans[i - 1][1])
        refuse(
          'overlapping-entries',
          null,
          'two of its entries are stored in overlapping bytes of the archive',
        );
  } finally {
    zip.close();
  }
}

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Where an entry lands when extracted must stay inside the folder it is extracted into, and name a
 * file every system writes as named: no absolute path, drive letter, backslash (a separator on
 * Windows), `..` segment, a segment of dots and spaces only (Windows reads `.. ` as `..`), nor control
 * character (C tools cut a name at NUL). Both names an entry carries are held to it: its own and the
 * Unicode Path field some tools prefer.
 */
function safeName(entry: yauzl.Entry): string {
  const name = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileNameRaw,
    entry.extraFields,
    true,
  );
  const plain = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, [], true);
  for (const candidate of new Set([name, plain])) {
    const problem = pathProblem(candidate);
    if (problem) refuse('unsafe-path', candidate, `an entry's path ${problem}`);
  }
  return name;
}

export function pathProblem(path: string): string | null {
  if (path === '') return 'is empty';
  if (path.includes('\\')) return 'holds a backslash';
  if (/^[a-zA-Z]:/.test(path)) return 'begins with a drive letter';
  if (path.startsWith('/')) return 'is absolute';
  if (CONTROL.test(path)) return 'holds a control character';
  const segments = path.split('/');
  if (segments.includes('..')) return 'climbs out with ".."';
  if (segments.some((s) => s !== '' && s !== '.' && /^[. ]+$/.test(s)))
    return 'has a segment of dots or spaces only';
  if (!segments.some((s) => s !== '' && s !== '.')) return 'names nothing';
  return null;
}

/**
 * The paths extraction writes, as a file system that ignores case and normalization (APFS, NTFS) and
 * drops trailing dots and spaces (Windows) compares them: two entries on one path, or a file where
 * another entry needs a folder, means one silently replaces or breaks the other.
 */
class ExtractedPaths {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();

  collides(name: string): boolean {
    const segments = name
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .map((s) =>
        s
          .replace(/[. ]+$/, '')
          .normalize('NFC')
          .toLowerCase(),
      );
    const isFolder = name.endsWith('/');
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      if (this.files.has(folder)) return true;
      this.folders.add(folder);
    }
    const path = segments.join('/');
    if (this.files.has(path)) return true;
    if (isFolder) this.folders.add(path);
    else {
      if (this.folders.has(path)) return true;
      this.files.add(path);
    }
    return false;
  }
}

/** The local header must say what the central directory says: streaming extractors read only it. */
async function localHeaderOf(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  name: string,
): Promise<yauzl.LocalFileHeader> {
  const local = await zip
    .readLocalFileHeaderPromise(entry)
    .catch((error: Error) =>
      unreadable('damaged-directory', `an entry's header cannot be read (${error.message})`, name),
    );
  let localName: string;
  try {
    localName = yauzl.getFileNameLowLevel(
      local.generalPurposeBitFlag,
      local.fileName,
      yauzl.parseExtraFields(local.extraField),
      true,
    );
  } catch (error) {
    return unreadable(
      'damaged-directory',
      `an entry's header cannot be read (${(error as Error).message})`,
      name,
    );
  }
  const differs = (what: string) =>
    unreadable(
      'header-mismatch',
      `an entry's local header and its directory record disagree on ${what}`,
      name,
    );
  if (!local.fileName.equals(entry.fileNameRaw) || localName !== name) differs('its name');
  if (local.compressionMethod !== entry.compressionMethod) differs('its compression');
  // Bit 3: sizes and CRC follow the data instead; 0xFFFFFFFF: they are in the ZIP64 field.
  if (!(local.generalPurposeBitFlag & 8)) {
    if (local.crc32 !== entry.crc32) differs('its CRC');
    if (local.compressedSize !== 0xffffffff && local.compressedSize !== entry.compressedSize)
      differs('its compressed size');
    if (local.uncompressedSize !== 0xffffffff && local.uncompressedSize !== entry.uncompressedSize)
      differs('its size');
  }
  return local;
}

/**
 * Reads an entry's data, inflating it as it streams, and refuses it the moment it passes the size its
 * headers declare (so a bomb that lies about its size is stopped after that many bytes); at its end,
 * its size, the compressed bytes the inflation used and its CRC must be what the headers say. Gives
 * back its first `LINK_TARGET_MAX` bytes (a link's target).
 */
async function checkedData(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  start: number,
  name: string,
  inflater: () => Transform,
): Promise<Buffer> {
  // Not `openReadStreamLowLevelPromise`: yauzl 3.4's calls `openReadStream` with these arguments.
  const raw = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStreamLowLevel(
      start,
      entry.compressedSize,
      0,
      entry.compressedSize,
      false,
      null,
      (error, stream) => (error ? reject(error) : resolve(stream)),
    ),
  ).catch((error: Error) =>
    unreadable('damaged-data', `an entry's data cannot be read (${error.message})`, name),
  );
  const inflate = entry.compressionMethod === 8 ? (inflater() as Transform & { bytesWritten: number }) : null;
  const data: Readable = inflate ? raw.pipe(inflate) : raw;
  if (inflate) raw.once('error', (error) => inflate.destroy(error));
  const mismatch = (what: string) =>
    unreadable(
      'size-mismatch',
      `an entry's data ${what} than the ${entry.uncompressedSize} bytes its headers declare`,
      name,
    );
  const head: Buffer[] = [];
  let size = 0;
  let crc = 0;
  try {
    for await (const chunk of data as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > entry.uncompressedSize) mismatch('is longer');
      if (size - chunk.length < LINK_TARGET_MAX) head.push(chunk.subarray(0, LINK_TARGET_MAX));
      crc = crc32(chunk, crc);
    }
  } catch (error) {
    if (error instanceof AttachmentUnreadableError) throw error;
    unreadable('damaged-data', `an entry's data cannot be inflated (${(error as Error).message})`, name);
  } finally {
    raw.destroy();
    inflate?.destroy();
  }
  if (size < entry.uncompressedSize) mismatch('is shorter');
  if (inflate && inflate.bytesWritten !== entry.compressedSize)
    unreadable(
      'size-mismatch',
      `an entry's compressed data ends after ${inflate.bytesWritten} of the ${entry.compressedSize} bytes its headers declare`,
      name,
    );
  if (crc >>> 0 !== entry.crc32) unreadable('damaged-data', "an entry's data fails its CRC check", name);
  return Buffer.concat(head).subarray(0, LINK_TARGET_MAX);
}

/** A symbolic link, as Unix `zip` stores it (its mode in the high bits of the external attributes). */
function isLink(entry: yauzl.Entry): boolean {
  return entry.versionMadeBy >> 8 === 3 && ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
}

/**
 * `unzip` restores links: one to `/etc` or `../../`, then a file "inside" it, writes outside the folder.
 * A link's target is held to the entries' path rule (no `..` at all: through another link, `l/..`
 * climbs wherever `l` points).
 */
function checkLink(name: string, target: Buffer): void {
  if (target.length >= LINK_TARGET_MAX || pathProblem(target.toString('utf8')))
    refuse('unsafe-link', name, 'a symbolic link in it points outside the folder it is extracted into');
}

function nextEntryOf(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return nextEntry(zip).catch((error: Error) =>
    unreadable('damaged-directory', `its directory cannot be read (${error.message})`),
  );
}

function refuse(problem: ZipProblem, entry: string | null, reason: string): never {
  throw new AttachmentArchiveRefusedError(problem, entry, reason);
}

function unreadable(problem: ZipProblem, reason: string, entry: string | null = null): never {
  throw new AttachmentUnreadableError('application/zip', reason, { zipProblem: problem, entry });
}

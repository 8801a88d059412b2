import { PassThrough, pipeline, Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { AttachmentStorage } from './storage/attachment-storage';

/**
 * yauzl, the one ZIP reader of the attachments: the number weighing (`readableLines`) and the structure
 * rule every uploaded ZIP meets (`checkZipStructure`) both read through it, each with its own options.
 */

export function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(null));
    const onError = (error: Error) => (cleanup(), reject(error));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

export function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))),
  );
}

export function openZipBuffer(bytes: Buffer, options: yauzl.Options): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, options, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

/** A stored ZIP read where yauzl asks (its directory at the end first), by ranges of the storage. */
class StoredZipReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly storage: AttachmentStorage,
    private readonly sha256: string,
  ) {
    super();
  }

  // yauzl wants the stream at once; the storage gives it when it has it. Whichever side ends first
  // ends the other, so no file or socket stays open when yauzl lets go of a range early.
  override _readStreamForRange(start: number, end: number): Readable {
    const through = new PassThrough();
    if (end <= start) through.end();
    else
      this.storage.read(this.sha256, { start, end: end - 1 }).then(
        (source) => (through.destroyed ? source.destroy() : pipeline(source, through, () => undefined)),
        (error: Error) => through.destroy(error),
      );
    return through;
  }
}

export function openStoredZip(
  storage: AttachmentStorage,
  sha256: string,
  size: number,
  options: yauzl.Options,
): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromRandomAccessReader(new StoredZipReader(storage, sha256), size, options, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

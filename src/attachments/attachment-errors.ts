import { ConflictError, DomainError } from '../common/errors/domain-errors';

export class AttachmentTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'attachment-too-large';
  readonly title = 'Attachment too large';
  constructor(maxBytes: number) {
    super(`An attachment may hold at most ${maxBytes} bytes.`);
    this.extensions.maxBytes = maxBytes;
  }
}

export class AttachmentTypeRefusedError extends DomainError {
  readonly status = 415;
  readonly code = 'attachment-type-refused';
  readonly title = 'Attachment type not allowed';
  constructor(detected: string | null, allowed: readonly string[]) {
    super(
      detected
        ? `The file's content is ${detected}, which is not an allowed attachment type.`
        : "The file's content is of no recognised type and is not plain text.",
    );
    this.extensions.detectedType = detected;
    this.extensions.allowedTypes = allowed;
  }
}

/** Why a ZIP is refused (`checkZipStructure`): the problem body's `zipProblem`. */
export type ZipProblem =
  // `attachment-unreadable`: it cannot be read as it claims to be.
  | 'damaged-directory'
  | 'header-mismatch'
  | 'size-mismatch'
  | 'damaged-data'
  | 'unsupported-compression'
  // `attachment-archive-refused`: it reads, but extracting it would harm or mislead the recipient.
  | 'unsafe-path'
  | 'same-path'
  | 'unsafe-link'
  | 'overlapping-entries'
  | 'too-many-entries'
  | 'expansion-limit'
  | 'compression-ratio';

/**
 * A file whose contents cannot be read through (a damaged ZIP, an encrypted entry): nothing in it could be
 * weighed. Also a ZIP whose headers and data disagree, whatever its uploader received (`checkZipStructure`):
 * `zipProblem` says which part, `entry` which entry when one is at fault.
 */
export class AttachmentUnreadableError extends DomainError {
  readonly status = 422;
  readonly code = 'attachment-unreadable';
  readonly title = 'Attachment cannot be read';
  constructor(mediaType: string, reason: string, zip?: { zipProblem: ZipProblem; entry: string | null }) {
    super(
      zip
        ? `The file is ${mediaType} but ${reason}, so it cannot be read or extracted as it claims to be.`
        : `The file is ${mediaType} but ${reason}, so what it holds cannot be weighed before it goes to another country.`,
    );
    this.extensions.mediaType = mediaType;
    if (zip) {
      this.extensions.zipProblem = zip.zipProblem;
      if (zip.entry !== null) this.extensions.entry = zip.entry;
    }
  }
}

/**
 * A ZIP that reads, but that would harm or mislead whoever extracts it (`checkZipStructure`): an entry
 * written outside the folder, two entries on one path, a link out, more expansion than the bounds allow.
 */
export class AttachmentArchiveRefusedError extends DomainError {
  readonly status = 422;
  readonly code = 'attachment-archive-refused';
  readonly title = 'ZIP archive refused';
  constructor(zipProblem: ZipProblem, entry: string | null, reason: string) {
    super(`The ZIP is refused: ${reason}; extracting it would not give the recipient what it lists.`);
    this.extensions.zipProblem = zipProblem;
    if (entry !== null) this.extensions.entry = entry;
  }
}

export class AttachmentWithdrawnError extends DomainError {
  readonly status = 410;
  readonly code = 'attachment-withdrawn';
  readonly title = 'Attachment withdrawn';
  constructor() {
    super("The attachment was withdrawn; its content is kept for the owner country's auditors only.");
  }
}

export class RangeNotSatisfiableError extends DomainError {
  readonly status = 416;
  readonly code = 'range-not-satisfiable';
  readonly title = 'Range not satisfiable';
  constructor(size: number) {
    super(`The requested range lies outside the ${size} bytes of the attachment.`);
    this.headers['Content-Range'] = `bytes */${size}`;
  }
}

/** The parent's state does not take attachments now (a request not yet accepted, a closed one). */
export class AttachmentNotAcceptedNowError extends ConflictError {
  override readonly code = 'attachment-not-accepted-now';
  override readonly title = 'The record does not take attachments in its current state';
}

/** The stored bytes are gone or no longer the size recorded: `verify` tells the whole story. */
export class StoredContentDamagedError extends DomainError {
  readonly status = 500;
  readonly code = 'attachment-content-damaged';
  readonly title = 'Stored content damaged';
  constructor() {
    super('The stored content of this attachment no longer matches its record; run verify and report it.');
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly code = 'unsupported-media-type';
  readonly title = 'Unsupported media type';
  constructor() {
    super('An upload takes the raw file as the body, with Content-Type: application/octet-stream.');
  }
}

/** The client went away mid-upload: nobody reads the answer, but the log should not call it our fault. */
export class UploadInterruptedError extends DomainError {
  readonly status = 400;
  readonly code = 'upload-interrupted';
  readonly title = 'Upload interrupted';
  constructor() {
    super('The upload ended before the whole body arrived; nothing was stored.');
  }
}

/**
 * When to send a refused file again: a slot comes free when its reading ends, by the reading deadline at
 * the latest (30 s for a file of a few KB, the hostile ones included; more for a large file).
 */
const RETRY_READING_AFTER_SECONDS = 30;

/** Why a file was not read now (`FileReadingSlots`): the problem body's `reason`. */
export type ReadingRefusal = 'queue-full' | 'waited-too-long' | 'client-gone';

/**
 * As many files are being read as the server reads at once, and more wait than may (`queue-full`), or
 * this one waited for its turn as long as an upload may (`waited-too-long`). Nothing was kept: the same
 * upload sent again after `Retry-After` seconds is read as any other.
 */
export class FileReadingBusyError extends DomainError {
  readonly status = 503;
  readonly code = 'file-reading-busy';
  readonly title = 'Too many files being read';
  constructor(reason: ReadingRefusal, queueMax: number) {
    super(
      {
        'queue-full': `The server is reading as many files as it reads at once and ${queueMax} more wait their turn; nothing was kept. Send the file again later.`,
        'waited-too-long':
          'The file waited for its turn to be read longer than an upload may; nothing was kept. Send it again later.',
        // Said to nobody (the client has gone); the refusal path removes what was stored.
        'client-gone':
          'The client went away while the file waited for its turn to be read; nothing was kept.',
      }[reason],
    );
    this.extensions.reason = reason;
    this.extensions.retryAfterSeconds = RETRY_READING_AFTER_SECONDS;
    this.headers['Retry-After'] = String(RETRY_READING_AFTER_SECONDS);
  }
}

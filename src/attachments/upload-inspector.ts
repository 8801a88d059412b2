import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { AttachmentTooLargeError } from './attachment-errors';
import { detectMediaType, SNIFF_BYTES } from './attachment-types';

export interface InspectedUpload {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
}

/**
 * Sits between the request body and the storage: hashes and counts every byte as it passes, fails
 * the stream as soon as the size limit is crossed, and holds back only the first few kilobytes until
 * their type is known (a refused type never reaches the storage). Memory: one chunk plus the sample.
 */
export class UploadInspector extends Transform {
  private readonly hash = createHash('sha256');
  private sizeBytes = 0;
  private head: Buffer[] = [];
  private headBytes = 0;
  private mediaType: string | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly filename: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sizeBytes += chunk.length;
    if (this.sizeBytes > this.maxBytes) return callback(new AttachmentTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    if (this.mediaType) return callback(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return callback();
    this.releaseHead(callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.mediaType) return callback();
    if (this.headBytes === 0)
      return callback(
        new ValidationFailedError(
          [{ field: 'body', message: 'the file is empty' }],
          'An attachment cannot be empty.',
        ),
      );
    this.releaseHead(callback);
  }

  /** The result; only meaningful once the stream has ended without error. */
  result(): InspectedUpload {
    if (!this.mediaType) throw new Error('the upload was not inspected to its end');
    return { sha256: this.hash.digest('hex'), sizeBytes: this.sizeBytes, mediaType: this.mediaType };
  }

  private releaseHead(callback: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    detectMediaType(head, this.filename).then(
      (mediaType) => {
        this.mediaType = mediaType;
        callback(null, head);
      },
      (error: Error) => callback(error),
    );
  }
}

import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { DomainError } from '../common/errors/domain-errors';
import { BodyTimeouts, watchBodyArrival } from '../common/http/stalled-body';

/** What an upload may take: its time (the longest pause and the whole, else 408) and its bytes (else 413). */
export interface SpoolLimits extends BodyTimeouts {
  /** Bytes the whole upload may hold. */
  maxBytes: number;
}

export class UploadTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload-too-large';
  readonly title = 'Import too large';
  constructor(detail: string) {
    super(detail);
    this.headers.connection = 'close';
  }
}

/**
 * Reads a whole upload into memory before any database work starts, so a client that trickles its
 * body holds a socket and at most `maxBytes` of memory, never a pooled connection or an open
 * transaction (which would also hold the audit sealer back). Memory, not a temp file: an upload holds
 * personal data, and a file would outlive a crash of the process.
 */
export function spoolUpload(body: Readable, limits: SpoolLimits): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error | null) => {
      stopWatch();
      body.off('data', onData).off('end', onEnd).off('error', onError);
      if (!error) return resolve(Buffer.concat(chunks, size));
      // Stop reading; the problem answer closes the connection, so the rest of the body is never read.
      body.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        stop(new UploadTooLargeError(`An import may hold at most ${limits.maxBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => stop(null);
    const onError = (error: Error) => stop(error);
    const stopWatch = watchBodyArrival(
      body,
      { idleMs: limits.idleMs, totalMs: limits.totalMs, what: 'upload' },
      stop,
    );
    body.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** Bytes handed to the parser at a time, between two turns of the event loop. */
export const SPOOL_SLICE_BYTES = 64 * 1024;

/**
 * A spooled upload as a stream of slices, the event loop turning between two: a parser fed the whole
 * file as one chunk parses all of it before anything else runs (a 20 MB cell held every other caller
 * for seconds), while a slice costs milliseconds. Slicing may split a UTF-8 character: the parser reads
 * bytes.
 */
export function spooledSlices(file: Buffer, sliceBytes = SPOOL_SLICE_BYTES): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < file.length; at += sliceBytes) {
        if (at > 0) await setImmediate();
        yield file.subarray(at, at + sliceBytes);
      }
    })(),
    { objectMode: false },
  );
}

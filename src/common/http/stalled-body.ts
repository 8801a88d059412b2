import type { Readable } from 'node:stream';
import { DomainError } from '../errors/domain-errors';

/**
 * The one answer to "the client stopped sending": 408 `urn:case-desk:problem:request-timeout`, whether
 * the request's headers (`client-error.ts`), a JSON body, the CSV import or a file upload stopped
 * arriving. The CSV import answered `upload-timeout` ("Upload too slow") for the same situation until
 * the three watches became this one; the HTTP status's own name is the one every other path used.
 */
export const REQUEST_TIMEOUT_CODE = 'request-timeout';

/** A body stopped arriving, or took too long: 408, and the connection is closed (the rest is unread). */
export class RequestBodyTimeoutError extends DomainError {
  readonly status = 408;
  readonly code = REQUEST_TIMEOUT_CODE;
  readonly title = 'Request Timeout';
  constructor(detail: string) {
    super(detail);
    this.headers.connection = 'close';
  }
}

/** How long a body read into memory may pause, and take in all (UPLOAD_IDLE_TIMEOUT_MS, UPLOAD_TOTAL_TIMEOUT_MS). */
export interface BodyTimeouts {
  idleMs: number;
  totalMs: number;
}

export interface ArrivalWatch {
  /** The longest the client may send nothing while the server stands ready to read. */
  idleMs: number;
  /** The longest the whole body may take to arrive; none when absent (a file upload may take its time). */
  totalMs?: number;
  /** What is arriving, for the detail: "body", "upload", "file". */
  what: string;
  /**
   * Whether the server is the one not reading (a file upload's storage is slow and the pipe has paused
   * the body): the client cannot send then, so the idle clock starts again. A body read into memory is
   * always read at once, so by default the server is always ready.
   */
  serverPaused?: () => boolean;
}

/**
 * Watches `body` arrive and calls `onStall` once, with a `RequestBodyTimeoutError`, when its client has
 * sent nothing for `idleMs` while the server stood ready to read, or (with `totalMs`) the body has not
 * ended after that long. A stalled client otherwise held its socket and what it had sent for as long as
 * it liked (probe input 9). Answers the function that stops the watch; the caller stops it when the body
 * ends, fails or is no longer read, and decides what a stall does to its stream.
 */
export function watchBodyArrival(
  body: Readable,
  watch: ArrivalWatch,
  onStall: (error: RequestBodyTimeoutError) => void,
): () => void {
  let idle: NodeJS.Timeout | undefined;
  let total: NodeJS.Timeout | undefined;
  const stop = () => {
    clearTimeout(idle);
    clearTimeout(total);
    body.off('data', arm);
  };
  const stall = (detail: string) => {
    stop();
    onStall(new RequestBodyTimeoutError(detail));
  };
  const checkIdle = () =>
    watch.serverPaused?.() ? arm() : stall(`No part of the ${watch.what} arrived for ${watch.idleMs} ms.`);
  function arm() {
    clearTimeout(idle);
    // The server's socket keeps the process alive, not a watch on one of its requests.
    idle = setTimeout(checkIdle, watch.idleMs).unref();
  }
  if (watch.totalMs !== undefined)
    total = setTimeout(
      () => stall(`The ${watch.what} did not arrive within ${watch.totalMs} ms.`),
      watch.totalMs,
    ).unref();
  body.on('data', arm);
  arm();
  return stop;
}

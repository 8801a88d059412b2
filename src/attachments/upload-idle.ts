import type { Readable, Writable } from 'node:stream';
import { RequestBodyTimeoutError } from '../common/http/utf8-json-body';

/**
 * Fails an upload (`into` destroyed with a 408) once its client has sent nothing for `idleMs` while the
 * upload stood ready to read: a declared length never sent, or a trickle that stopped, held its socket
 * and temporary object for ever (probe input 9). A pause of the storage's own is not the client's: while
 * `into` is full (the storage reads slowly and the pipe has paused the body) the clock starts again. No
 * limit on the whole: a large file on a slow link may take its time as long as it keeps coming.
 * Answers the function that stops the watch.
 */
export function failWhenClientStalls(body: Readable, into: Writable, idleMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(check, idleMs);
    timer.unref();
  };
  const check = () => {
    if (into.writableNeedDrain || body.readableFlowing === false) return arm();
    into.destroy(new RequestBodyTimeoutError(`No part of the file arrived for ${idleMs} ms.`));
  };
  body.on('data', arm);
  arm();
  return () => {
    clearTimeout(timer);
    body.off('data', arm);
  };
}

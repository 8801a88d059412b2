import type { Readable, Writable } from 'node:stream';
import { watchBodyArrival } from '../common/http/stalled-body';

/**
 * Fails an upload (`into` destroyed with a 408) once its client has sent nothing for `idleMs` while the
 * upload stood ready to read: a declared length never sent, or a trickle that stopped, held its socket
 * and temporary object for ever (probe input 9). A pause of the storage's own is not the client's: while
 * `into` is full (the storage reads slowly and the pipe has paused the body) the clock starts again. No
 * limit on the whole: a large file on a slow link may take its time as long as it keeps coming.
 * Answers the function that stops the watch.
 */
export function failWhenClientStalls(body: Readable, into: Writable, idleMs: number): () => void {
  return watchBodyArrival(
    body,
    {
      idleMs,
      what: 'file',
      serverPaused: () => into.writableNeedDrain || body.readableFlowing === false,
    },
    (error) => into.destroy(error),
  );
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * The heap in use after two full collections, in bytes. The app under test runs in this process, so
 * this is its heap too. V8's `gc()` is made available for the call (`--expose-gc` at run time).
 */
export function heapAfterCollection(): number {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

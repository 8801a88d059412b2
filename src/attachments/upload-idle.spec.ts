import { PassThrough, Writable } from 'node:stream';
import { failWhenClientStalls } from './upload-idle';

const IDLE_MS = 100;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A destination that takes `ready` writes at once, then holds every later one (a storage that stalls). */
function storage(ready: number): { into: Writable; failure: () => Error | undefined } {
  let taken = 0;
  let failure: Error | undefined;
  const into = new Writable({
    highWaterMark: 4,
    write(_chunk, _encoding, callback) {
      if (++taken <= ready) callback();
    },
  });
  into.on('error', (error) => (failure = error));
  return { into, failure: () => failure };
}

describe('failWhenClientStalls', () => {
  it('fails the upload with a 408 when the client sends nothing for the idle time', async () => {
    const body = new PassThrough();
    const { into, failure } = storage(Infinity);
    body.pipe(into);
    const stop = failWhenClientStalls(body, into, IDLE_MS);
    body.write('a');
    await wait(IDLE_MS * 3);
    stop();
    expect(failure()).toMatchObject({ status: 408, code: 'request-timeout' });
  });

  it('never while the client keeps sending, however long it takes in all', async () => {
    const body = new PassThrough();
    const { into, failure } = storage(Infinity);
    body.pipe(into);
    const stop = failWhenClientStalls(body, into, IDLE_MS);
    for (let i = 0; i < 8; i++) {
      body.write('a');
      await wait(IDLE_MS / 2);
    }
    stop();
    expect(failure()).toBeUndefined();
  });

  it('not while the storage is the one that stopped reading (the body is paused behind it)', async () => {
    const body = new PassThrough();
    const { into, failure } = storage(1);
    body.pipe(into);
    const stop = failWhenClientStalls(body, into, IDLE_MS);
    // More than the destination buffers: the pipe pauses the body, and the client can send no more.
    for (let i = 0; i < 20; i++) body.write('abcdefgh');
    await wait(IDLE_MS * 3);
    expect(into.writableNeedDrain || body.readableFlowing === false).toBe(true);
    stop();
    expect(failure()).toBeUndefined();
  });
});

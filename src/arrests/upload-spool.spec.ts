import { PassThrough } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { spoolUpload } from './upload-spool';

const limits = { maxBytes: 1000, idleMs: 1000, totalMs: 3000 };

describe('spoolUpload: an import that stops arriving', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('answers as every other body that stopped: 408 request-timeout, not an import code of its own', async () => {
    const body = new PassThrough();
    const spooled = spoolUpload(body, limits);
    body.write('name\n');
    await turn();
    jest.advanceTimersByTime(1000);
    await expect(spooled).rejects.toMatchObject({
      status: 408,
      code: 'request-timeout',
      message: 'No part of the upload arrived for 1000 ms.',
      headers: { connection: 'close' },
    });
  });

  it('and past the total time, however steadily it trickles', async () => {
    const body = new PassThrough();
    const spooled = spoolUpload(body, limits);
    const failure = spooled.catch((e: unknown) => e);
    for (let i = 0; i < 7; i++) {
      body.write('x');
      await turn();
      jest.advanceTimersByTime(500);
    }
    expect(await failure).toMatchObject({
      code: 'request-timeout',
      message: 'The upload did not arrive within 3000 ms.',
    });
  });

  it('control: a body that ends in time is read whole', async () => {
    const body = new PassThrough();
    const spooled = spoolUpload(body, limits);
    body.end('name\nSOK Dara\n');
    expect((await spooled).toString()).toBe('name\nSOK Dara\n');
  });
});

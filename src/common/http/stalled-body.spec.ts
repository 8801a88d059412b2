import { PassThrough } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { RequestBodyTimeoutError, watchBodyArrival } from './stalled-body';

/** A body and the stalls its watch reported; chunks reach the watch a turn of the loop after they are written. */
function watched(options: { totalMs?: number; serverPaused?: () => boolean } = {}) {
  const body = new PassThrough();
  const stalls: RequestBodyTimeoutError[] = [];
  const stop = watchBodyArrival(body, { idleMs: 1000, what: 'body', ...options }, (e) => stalls.push(e));
  const send = async (text: string) => {
    body.write(text);
    await turn();
  };
  return { body, stalls, stop, send };
}

describe('watchBodyArrival: the one answer to a client that stopped sending', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('a 408 request-timeout, connection closed, once nothing arrived for the idle time', async () => {
    const { stalls, send } = watched();
    await send('a');
    jest.advanceTimersByTime(999);
    expect(stalls).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toMatchObject({
      status: 408,
      code: 'request-timeout',
      title: 'Request Timeout',
      message: 'No part of the body arrived for 1000 ms.',
      headers: { connection: 'close' },
    });
  });

  it('each chunk starts the idle clock again; the total bound, when given, ends a trickle', async () => {
    const { stalls, send } = watched({ totalMs: 3000 });
    for (let i = 0; i < 5; i++) {
      await send('a');
      jest.advanceTimersByTime(500);
    }
    expect(stalls).toEqual([]);
    await send('a');
    jest.advanceTimersByTime(500);
    expect(stalls.map((e) => e.message)).toEqual(['The body did not arrive within 3000 ms.']);
    jest.advanceTimersByTime(5000);
    expect(stalls).toHaveLength(1);
  });

  it('without a total bound, a body that keeps coming is never cut off', async () => {
    const { stalls, send } = watched();
    for (let i = 0; i < 20; i++) {
      await send('a');
      jest.advanceTimersByTime(900);
    }
    expect(stalls).toEqual([]);
  });

  it('the clock does not run while the server is the one not reading', async () => {
    let paused = true;
    const { stalls } = watched({ serverPaused: () => paused });
    jest.advanceTimersByTime(10_000);
    expect(stalls).toEqual([]);
    paused = false;
    jest.advanceTimersByTime(1000);
    expect(stalls).toHaveLength(1);
  });

  it('stopped, it reports nothing', async () => {
    const { stalls, stop, body } = watched({ totalMs: 2000 });
    stop();
    jest.advanceTimersByTime(10_000);
    expect(stalls).toEqual([]);
    expect(body.listenerCount('data')).toBe(0);
  });
});

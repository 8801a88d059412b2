import { performance } from 'node:perf_hooks';

/**
 * Runs `send` and reports the longest the event loop stalled meanwhile (ms): a 10 ms interval's largest
 * gap between two of its ticks, less the 10 ms. The app under test runs in this process, so that is
 * what every other caller would have waited; sampled by a timer here, no client request has to be in
 * flight at the right moment.
 */
export async function withLoopStall<T>(send: () => PromiseLike<T>): Promise<{ res: T; stallMs: number }> {
  let last = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  try {
    const res = await send();
    // A stall that ended with the answer is seen at the interval's next tick.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { res, stallMs: Math.max(0, Math.round(longestGap - 10)) };
  } finally {
    clearInterval(ticker);
  }
}

import { performance, PerformanceObserver } from 'node:perf_hooks';

/** A stretch between two of the sampler's ticks longer than its period. */
interface Gap {
  start: number;
  end: number;
  /** CPU time (user + system) this process used in the stretch, ms. */
  cpuMs: number;
}

const PERIOD_MS = 10;

/**
 * Runs `send` and reports the longest the event loop was held by this process's own work meanwhile (ms).
 * The app under test runs in this process, so that is what every other caller would have waited; sampled
 * by a timer here, no client request has to be in flight at the right moment.
 *
 * A stretch between two ticks counts for the CPU time the process used in it (at most its length), less
 * the garbage collector's pauses in it. Neither is the app's doing, and both are the machine's: with
 * jest's workers and PostgreSQL on two cores, the OS can leave this process waiting for a CPU, and a
 * collection of a worker's heap, grown over earlier spec files, took 1.3 s in one CI run while the import
 * itself held the loop for ~0.1 s. What the probes guard against is the app's own synchronous work (6 to
 * 57 s before their fixes), and that is CPU time outside the collector.
 */
export async function withLoopStall<T>(send: () => PromiseLike<T>): Promise<{ res: T; stallMs: number }> {
  const gcPauses: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });

  const gaps: Gap[] = [];
  const cpuNow = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuNow();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = cpuNow();
    if (now - last > PERIOD_MS * 1.5) gaps.push({ start: last, end: now, cpuMs: cpu - lastCpu });
    last = now;
    lastCpu = cpu;
  }, PERIOD_MS);
  try {
    const res = await send();
    // A stall that ended with the answer is seen at the interval's next tick; the collector's entries
    // reach the observer after their pause.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { res, stallMs: Math.round(Math.max(0, ...gaps.map((g) => heldFor(g, gcPauses)))) };
  } finally {
    clearInterval(ticker);
    observer.disconnect();
  }
}

/** How long the loop was held by the process's own work in `gap`: its CPU time, less collector pauses. */
function heldFor(gap: Gap, gcPauses: { start: number; end: number }[]): number {
  const collecting = gcPauses.reduce(
    (sum, p) => sum + Math.max(0, Math.min(p.end, gap.end) - Math.max(p.start, gap.start)),
    0,
  );
  return Math.min(gap.end - gap.start, gap.cpuMs) - collecting - PERIOD_MS;
}

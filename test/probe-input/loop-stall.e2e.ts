import { withLoopStall } from './loop-stall';

/** The probes' measure of a held event loop counts synchronous work, and not waiting. */
describe('withLoopStall', () => {
  /**
   * Runs for `ms` of CPU time (not wall time: the OS may give other processes the CPU meanwhile). The
   * clock is read once per 100,000 turns: each reading allocates, and a loop that allocates sets off
   * the collector, whose pauses the measure rightly leaves out (one CI run counted 234 ms of 400).
   */
  const busyFor = (ms: number) => {
    const cpu = () => process.cpuUsage().user / 1000;
    const until = cpu() + ms;
    let sink = 0;
    while (cpu() < until) for (let i = 0; i < 100_000; i++) sink += Math.sqrt(i);
    return sink;
  };

  it('counts a stretch of synchronous work as a stall', async () => {
    const { res, stallMs } = await withLoopStall(async () => {
      await new Promise((r) => setTimeout(r, 20));
      // Well past the 300 ms asked below: on two loaded cores a run counted 269 ms of 400.
      busyFor(600);
      return 'done';
    });
    expect(res).toBe('done');
    expect(stallMs).toBeGreaterThanOrEqual(300);
  });

  it('does not count time spent waiting', async () => {
    const { stallMs } = await withLoopStall(() => new Promise((r) => setTimeout(r, 400)));
    expect(stallMs).toBeLessThan(300);
  });
});

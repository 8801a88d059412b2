import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';

/** The longest a loop over a caller's input runs before it lets other requests in. */
export const LOOP_SLICE_MS = 20;

/**
 * For a long synchronous loop over input (validating thousands of rows): `turn()` lets the event loop
 * run other callbacks once `sliceMs` have passed since the last turn, and is a cheap no-op otherwise,
 * so one large request never holds every other caller (health checks included) for more than a slice.
 */
export class EventLoopTurns {
  private since = performance.now();

  constructor(private readonly sliceMs = LOOP_SLICE_MS) {}

  async turn(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await setImmediate();
    this.since = performance.now();
  }
}

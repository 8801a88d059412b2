interface Waiter {
  heard: number;
  expected: number;
  done: () => void;
}

/**
 * Counts the acknowledgements of one sent invalidation until every listening instance has answered,
 * or the wait's bound has passed. Acknowledgements can arrive before the sender knows how many to
 * expect (they race the answer to the statement that sent it), so they are counted from the moment
 * the invalidation is registered.
 */
export class InvalidationAcks {
  private readonly waiters = new Map<string, Waiter>();

  /** Starts counting for `nonce`; call before the invalidation is sent. */
  register(nonce: string): void {
    this.waiters.set(nonce, { heard: 0, expected: Number.POSITIVE_INFINITY, done: () => undefined });
  }

  /** One instance has dropped what the invalidation named. */
  heard(nonce: string): void {
    const waiter = this.waiters.get(nonce);
    if (!waiter) return;
    waiter.heard++;
    if (waiter.heard >= waiter.expected) waiter.done();
  }

  /**
   * Resolves when `expected` instances have acknowledged `nonce`, or after `boundMs`: by then every
   * copy cached before the change has expired anyway. Resolves to whether all had answered.
   */
  settle(nonce: string, expected: number, boundMs: number): Promise<boolean> {
    const waiter = this.waiters.get(nonce);
    if (!waiter) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), boundMs);
      timer.unref();
      const finish = (all: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(nonce);
        resolve(all);
      };
      waiter.expected = expected;
      waiter.done = () => finish(true);
      if (waiter.heard >= expected) finish(true);
    });
  }

  /** Stops counting for `nonce` (the invalidation could not be sent). */
  forget(nonce: string): void {
    this.waiters.delete(nonce);
  }
}

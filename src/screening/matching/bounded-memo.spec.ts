import { boundedMemo, byteBoundedCache, matchingCacheBytes, pairCache, roughBytes } from './bounded-memo';

describe('boundedMemo', () => {
  it('computes a key once while it is kept, and again only after it was pushed out', () => {
    const computed: string[] = [];
    const upper = boundedMemo('spec-upper', (key: string) => (computed.push(key), key.toUpperCase()), 4096);
    expect(upper('kim')).toBe('KIM');
    expect(upper('kim')).toBe('KIM');
    expect(computed).toEqual(['kim']);
    for (let i = 0; i < 500; i++) upper(`flood-${i}`);
    expect(upper('kim')).toBe('KIM');
    expect(computed.filter((key) => key === 'kim')).toHaveLength(2);
  });

  it('keeps a key read between the inserts through a flood many times its size', () => {
    let lee = 0;
    const memo = boundedMemo('spec-hot', (key: string) => (key === 'lee' && lee++, key.length), 8192);
    for (let i = 0; i < 5000; i++) {
      memo(`traveller-${i}`);
      memo('lee');
    }
    expect(lee).toBe(1);
  });

  it('remembers a result that is null or undefined', () => {
    let calls = 0;
    const nothing = boundedMemo('spec-nothing', () => (calls++, undefined), 4096);
    nothing('a');
    nothing('a');
    expect(calls).toBe(1);
  });

  it('never holds more bytes than its cap', () => {
    const memo = boundedMemo('spec-capped', (key: string) => key.repeat(20), 16 * 1024);
    for (let i = 0; i < 3000; i++) {
      memo(`name-${i}`);
      expect(matchingCacheBytes().byCache['spec-capped']).toBeLessThanOrEqual(16 * 1024);
    }
    expect(matchingCacheBytes().byCache['spec-capped']).toBeGreaterThan(0);
  });
});

const size = (name: string) => matchingCacheBytes().byCache[name]!;

describe('the byte-bounded caches', () => {
  it('counts a re-set key once, whatever the size of its new value', () => {
    const c = byteBoundedCache<string>('r-reset', 64 * 1024);
    c.set('k', 'a');
    const one = roughBytes('k') + roughBytes('a');
    expect(size('r-reset')).toBe(one);
    c.set('k', 'a'.repeat(100));
    expect(size('r-reset')).toBe(roughBytes('k') + roughBytes('a'.repeat(100)));
    expect(c.get('k')).toBe('a'.repeat(100));
    c.set('k', 'b');
    expect(size('r-reset')).toBe(one);
  });

  it('random sets and reads: never over the cap, never a stale value', () => {
    const max = 4096;
    const c = byteBoundedCache<string | null | undefined>('r-random', max);
    const truth = new Map<string, string | null | undefined>();
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 10_000; i++) {
      const key = `k${rnd(300)}`;
      if (rnd(3) === 0) {
        const kind = rnd(5);
        const value = kind === 0 ? null : kind === 1 ? undefined : 'v'.repeat(rnd(250));
        c.set(key, value);
        truth.set(key, value);
      } else {
        const kept = c.lookup(key);
        if (kept) expect(kept.value).toBe(truth.get(key));
      }
      expect(size('r-random')).toBeLessThanOrEqual(max);
      expect(size('r-random')).toBeGreaterThanOrEqual(0);
    }
  });

  it('promotion and rotation move bytes, never add or lose them', () => {
    const c = pairCache<number>('r-gens', 640);
    for (let i = 1; i <= 5; i++) c.set(i, i);
    expect(size('r-gens')).toBe(320);
    c.set(6, 6); // rotates: older 1-5, newer 6
    expect(size('r-gens')).toBe(384);
    expect(c.get(1)).toBe(1); // promoted
    expect(size('r-gens')).toBe(384);
    for (let i = 7; i <= 9; i++) c.set(i, i);
    expect(size('r-gens')).toBe(576);
    c.set(10, 10); // rotates: 2-5 dropped
    expect(size('r-gens')).toBe(384);
    expect(c.get(2)).toBeUndefined();
    expect(c.get(1)).toBe(1);
    expect(size('r-gens')).toBe(384);
  });

  it('forgets the old value of a key re-set with one too large to keep', () => {
    const c = byteBoundedCache<string>('r-too-large', 4096);
    c.set('k', 'small');
    c.set('k', 'x'.repeat(1000));
    expect(c.get('k')).toBeUndefined();
    expect(size('r-too-large')).toBe(0);
  });

  it('a pair cache re-set in place holds its size', () => {
    const c = pairCache<number>('r-pairs', 64 * 100);
    for (let i = 0; i < 40; i++) c.set(i, i);
    expect(size('r-pairs')).toBe(40 * 64);
    for (let i = 0; i < 40; i++) c.set(i, i + 1);
    expect(size('r-pairs')).toBe(40 * 64);
    for (let i = 0; i < 10_000; i++) c.set(1000 + i, i);
    expect(size('r-pairs')).toBeLessThanOrEqual(64 * 100);
  });
});

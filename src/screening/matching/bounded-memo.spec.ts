import { boundedMemo, matchingCacheBytes } from './bounded-memo';

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

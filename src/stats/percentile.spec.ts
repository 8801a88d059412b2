import { interpolate, locateRank, percentilePosition } from './percentile';

/** percentile_cont as PostgreSQL defines it, over a sorted array. */
function percentileCont(sorted: number[], p: number): number {
  const { lower, upper, fraction } = percentilePosition(p, sorted.length);
  return interpolate(sorted[lower]!, sorted[upper]!, fraction);
}

describe('percentiles from a histogram', () => {
  it('interpolates between the two values around the position, like percentile_cont', () => {
    expect(percentileCont([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileCont([10, 20, 30, 40, 50], 0.9)).toBe(46);
    expect(percentileCont([7], 0.9)).toBe(7);
  });

  it('finds the bucket holding a rank and the rank inside it', () => {
    const buckets = [
      { bucket: 3, count: 2 },
      { bucket: 5, count: 4 },
      { bucket: 9, count: 1 },
    ];
    expect(locateRank(buckets, 0)).toEqual({ bucket: 3, offset: 0 });
    expect(locateRank(buckets, 2)).toEqual({ bucket: 5, offset: 0 });
    expect(locateRank(buckets, 5)).toEqual({ bucket: 5, offset: 3 });
    expect(locateRank(buckets, 6)).toEqual({ bucket: 9, offset: 0 });
    expect(() => locateRank(buckets, 7)).toThrow();
  });
});

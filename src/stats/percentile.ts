/**
 * Where PostgreSQL's `percentile_cont(p)` looks among `count` sorted values: the value at `lower`
 * (0-based), and when `fraction` > 0 the next one, interpolated. Same arithmetic as its float8 code,
 * so a percentile assembled from two looked-up values equals the aggregate's own answer.
 */
export function percentilePosition(
  p: number,
  count: number,
): { lower: number; upper: number; fraction: number } {
  const position = p * (count - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return { lower, upper, fraction: position - lower };
}

export function interpolate(lowerValue: number, upperValue: number, fraction: number): number {
  return fraction === 0 ? lowerValue : lowerValue + (upperValue - lowerValue) * fraction;
}

/**
 * The bucket holding the value of 0-based `rank`, and the rank inside it, from the count of values
 * per bucket in ascending bucket order.
 */
export function locateRank(
  buckets: ReadonlyArray<{ bucket: number; count: number }>,
  rank: number,
): { bucket: number; offset: number } {
  let before = 0;
  for (const b of buckets) {
    if (rank < before + b.count) return { bucket: b.bucket, offset: rank - before };
    before += b.count;
  }
  throw new Error(`rank ${rank} is beyond the ${before} values counted`);
}

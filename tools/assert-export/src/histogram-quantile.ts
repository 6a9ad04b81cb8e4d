export interface HistogramBucket {
  /** The `le` bound; the last bucket of a complete histogram is `+Inf`. */
  readonly upperBound: number;
  /** Cumulative: observations less than or equal to `upperBound`. */
  readonly count: number;
}

/**
 * PromQL's `histogram_quantile(quantile, buckets)` for classic buckets (promql/quantile.go):
 * linear interpolation inside the bucket the rank falls in, the lowest bucket starting at 0
 * when its bound is positive, and the highest finite bound when the rank falls in `+Inf`.
 * Returns undefined where PromQL returns NaN: no `+Inf` bucket, fewer than 2 buckets, no
 * observations, a NaN quantile, or an empty bucket to interpolate in.
 */
export function histogramQuantile(
  quantile: number,
  buckets: readonly HistogramBucket[],
): number | undefined {
  if (Number.isNaN(quantile)) return undefined;
  if (quantile < 0) return Number.NEGATIVE_INFINITY;
  if (quantile > 1) return Number.POSITIVE_INFINITY;
  const sorted = monotonic(coalesce(buckets));
  const highest = sorted.at(-1);
  if (!highest || highest.upperBound !== Number.POSITIVE_INFINITY) return undefined;
  if (sorted.length < 2 || highest.count === 0) return undefined;

  let rank = quantile * highest.count;
  const finite = sorted.slice(0, -1);
  const index = finite.findIndex((bucket) => bucket.count >= rank);
  const bucket = finite[index];
  // Past every finite bucket: PromQL answers with the highest finite bound.
  if (!bucket) return finite.at(-1)?.upperBound;
  const below = index > 0 ? finite[index - 1] : undefined;
  if (!below && bucket.upperBound <= 0) return bucket.upperBound;
  let bucketStart = 0;
  let count = bucket.count;
  if (below) {
    bucketStart = below.upperBound;
    count -= below.count;
    rank -= below.count;
  }
  const quantileValue = bucketStart + (bucket.upperBound - bucketStart) * (rank / count);
  return Number.isNaN(quantileValue) ? undefined : quantileValue; // 0/0 for a quantile of 0
}

/** Sorted by bound, with buckets of the same bound (from several series) added together. */
function coalesce(buckets: readonly HistogramBucket[]): HistogramBucket[] {
  const counts = new Map<number, number>();
  for (const { upperBound, count } of buckets) {
    counts.set(upperBound, (counts.get(upperBound) ?? 0) + count);
  }
  return [...counts]
    .map(([upperBound, count]) => ({ upperBound, count }))
    .sort((left, right) => left.upperBound - right.upperBound);
}

/** Counts scraped mid-update can dip; like PromQL, raise each to the largest count below it. */
function monotonic(buckets: readonly HistogramBucket[]): HistogramBucket[] {
  let largest = Number.NEGATIVE_INFINITY;
  return buckets.map(({ upperBound, count }) => {
    if (count > largest) largest = count;
    return { upperBound, count: Math.max(count, largest) };
  });
}

export interface RetryAfterEstimateOptions {
  maxConcurrent: number;
  /** How many recent run durations the mean covers. Default 20. */
  sampleSize?: number;
}

export interface RetryAfterEstimate {
  /** Records how long a task held its slot, whatever its outcome. */
  record(runMs: number): void;
  /** The mean of the recent run durations, or `undefined` before the first one. */
  meanRunMs(): number | undefined;
  /** Whole seconds (at least 1) until a slot is likely to open for a task behind `queued` others. */
  retryAfterSeconds(queued: number): number;
}

/**
 * Estimates Retry-After from the mean of the last few run durations: the queue ahead plus the
 * refused task, spread over every slot. Failures count too, since they held a slot as long.
 * Before any task has finished there is nothing to go on, and the answer is 1 s.
 */
export function createRetryAfterEstimate(options: RetryAfterEstimateOptions): RetryAfterEstimate {
  const { maxConcurrent, sampleSize = 20 } = options;
  const recentRunMs: number[] = [];

  // Twenty numbers: summing them again on each read costs nothing and cannot drift.
  const meanRunMs = (): number | undefined =>
    recentRunMs.length === 0
      ? undefined
      : recentRunMs.reduce((total, runMs) => total + runMs, 0) / recentRunMs.length;

  return {
    record(runMs) {
      recentRunMs.push(Number.isFinite(runMs) && runMs > 0 ? runMs : 0);
      if (recentRunMs.length > sampleSize) recentRunMs.shift();
    },
    meanRunMs,
    retryAfterSeconds(queued) {
      const mean = meanRunMs() ?? 0;
      return Math.max(1, Math.ceil((mean * (queued + 1)) / maxConcurrent / 1000));
    },
  };
}

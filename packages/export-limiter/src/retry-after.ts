import { LimiterError } from './errors.js';

/** The longest Retry-After ever answered: an hour. A longer wait helps no caller plan. */
export const maxRetryAfterSeconds = 3600;

export interface RetryAfterInput {
  /** Tasks waiting ahead of the one being refused. */
  queued: number;
  /** Slots that work can run in at once. */
  maxConcurrent: number;
  /** The mean time a task held its slot, in ms; `undefined` while none has finished. */
  meanRunMs: number | undefined;
}

/**
 * Whole seconds until a slot is likely to open for a task behind `queued` others: the queue
 * ahead plus that task, spread over every slot, each taking `meanRunMs`. Between 1 and
 * `maxRetryAfterSeconds`; 1 while nothing has finished, since there is nothing to go on.
 *
 * The one formula for anything that bounds work: the in-process limiter and a cluster of
 * replicas (with the mean of the durations it shares) answer the same Retry-After.
 */
export function estimateRetryAfterSeconds(input: RetryAfterInput): number {
  const { queued, maxConcurrent, meanRunMs } = input;
  if (!Number.isSafeInteger(queued) || queued < 0) {
    throw invalidArgument(`\`queued\` must be an integer >= 0, got ${String(queued)}`);
  }
  if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
    throw invalidArgument(
      `\`maxConcurrent\` must be an integer >= 1, got ${String(maxConcurrent)}`,
    );
  }
  if (meanRunMs !== undefined && (typeof meanRunMs !== 'number' || Number.isNaN(meanRunMs))) {
    throw invalidArgument(`\`meanRunMs\` must be a number or undefined, got ${String(meanRunMs)}`);
  }
  if (meanRunMs === undefined || meanRunMs <= 0) return 1;
  const seconds = Math.ceil((meanRunMs * (queued + 1)) / maxConcurrent / 1000);
  return Math.min(maxRetryAfterSeconds, Math.max(1, seconds));
}

function invalidArgument(message: string): LimiterError {
  return new LimiterError('LIMITER_INVALID_ARGUMENT', `estimateRetryAfterSeconds: ${message}`);
}

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
  /** `estimateRetryAfterSeconds` for a task behind `queued` others, from the recent mean. */
  retryAfterSeconds(queued: number): number;
}

/**
 * Keeps the mean of the last few run durations for `estimateRetryAfterSeconds`. Failures count
 * too, since they held a slot as long.
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
    retryAfterSeconds: (queued) =>
      estimateRetryAfterSeconds({ queued, maxConcurrent, meanRunMs: meanRunMs() }),
  };
}

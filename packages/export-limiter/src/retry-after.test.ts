import { describe, expect, it } from 'vitest';
import {
  createRetryAfterEstimate,
  estimateRetryAfterSeconds,
  maxRetryAfterSeconds,
} from './retry-after.js';

describe('estimateRetryAfterSeconds', () => {
  it('spreads the queue ahead plus the refused task over every slot, rounded up', () => {
    // 2000 ms × (100 + 1) / 5 = 40.4 s.
    expect(estimateRetryAfterSeconds({ queued: 100, maxConcurrent: 5, meanRunMs: 2_000 })).toBe(41);
  });

  it('answers 1 s while nothing has finished (meanRunMs undefined)', () => {
    expect(estimateRetryAfterSeconds({ queued: 500, maxConcurrent: 1, meanRunMs: undefined })).toBe(
      1,
    );
  });

  it('never answers less than 1 s', () => {
    expect(estimateRetryAfterSeconds({ queued: 0, maxConcurrent: 8, meanRunMs: 3 })).toBe(1);
    expect(estimateRetryAfterSeconds({ queued: 0, maxConcurrent: 8, meanRunMs: 0 })).toBe(1);
  });

  it('never answers more than an hour', () => {
    expect(maxRetryAfterSeconds).toBe(3600);
    // 60 s × 1001 / 2 would be 30030 s.
    expect(estimateRetryAfterSeconds({ queued: 1_000, maxConcurrent: 2, meanRunMs: 60_000 })).toBe(
      3600,
    );
    expect(
      estimateRetryAfterSeconds({
        queued: 0,
        maxConcurrent: 1,
        meanRunMs: Number.POSITIVE_INFINITY,
      }),
    ).toBe(3600);
  });

  it('answers for a queue longer than any maxQueue, as accepted work can make it', () => {
    expect(estimateRetryAfterSeconds({ queued: 9, maxConcurrent: 2, meanRunMs: 1_000 })).toBe(5);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ queued: -1, maxConcurrent: 1 }, '`queued` must be an integer >= 0, got -1'],
    [{ queued: 1.5, maxConcurrent: 1 }, '`queued` must be an integer >= 0, got 1.5'],
    [{ queued: 0, maxConcurrent: 0 }, '`maxConcurrent` must be an integer >= 1, got 0'],
    [
      { queued: 0, maxConcurrent: 1, meanRunMs: Number.NaN },
      '`meanRunMs` must be a number or undefined, got NaN',
    ],
  ])('rejects %o with LIMITER_INVALID_ARGUMENT naming the field', (input, message) => {
    expect(() =>
      estimateRetryAfterSeconds({ meanRunMs: undefined, ...input } as never),
    ).toThrowError(
      expect.objectContaining({
        code: 'LIMITER_INVALID_ARGUMENT',
        message: `estimateRetryAfterSeconds: ${message}`,
      }),
    );
  });
});

describe('createRetryAfterEstimate', () => {
  it('answers 1 s before any run has been recorded', () => {
    const estimate = createRetryAfterEstimate({ maxConcurrent: 5 });
    expect(estimate.meanRunMs()).toBeUndefined();
    expect(estimate.retryAfterSeconds(100)).toBe(1);
  });

  it('spreads the queue ahead plus the refused task over every slot', () => {
    const estimate = createRetryAfterEstimate({ maxConcurrent: 5 });
    estimate.record(2_000);
    // 2000 ms × (100 + 1) / 5 = 40.4 s, rounded up.
    expect(estimate.retryAfterSeconds(100)).toBe(41);
  });

  it('never answers less than 1 s nor more than an hour', () => {
    const estimate = createRetryAfterEstimate({ maxConcurrent: 8 });
    estimate.record(3);
    expect(estimate.retryAfterSeconds(0)).toBe(1);
    estimate.record(100_000_000);
    expect(estimate.retryAfterSeconds(0)).toBe(3600);
  });

  it('averages the recorded runs', () => {
    const estimate = createRetryAfterEstimate({ maxConcurrent: 1 });
    estimate.record(1_000);
    estimate.record(3_000);
    expect(estimate.meanRunMs()).toBe(2_000);
  });

  it('forgets runs older than the last sampleSize', () => {
    const estimate = createRetryAfterEstimate({ maxConcurrent: 1, sampleSize: 2 });
    estimate.record(60_000);
    estimate.record(1_000);
    estimate.record(3_000);
    expect(estimate.meanRunMs()).toBe(2_000);
  });

  it('counts a negative or non-finite duration as 0', () => {
    const estimate = createRetryAfterEstimate({ maxConcurrent: 1 });
    estimate.record(-5);
    estimate.record(Number.NaN);
    estimate.record(3_000);
    expect(estimate.meanRunMs()).toBe(1_000);
  });
});

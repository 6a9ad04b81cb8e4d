import { describe, expect, it } from 'vitest';
import { createRetryAfterEstimate } from './retry-after.js';

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

  it('never answers less than 1 s', () => {
    const estimate = createRetryAfterEstimate({ maxConcurrent: 8 });
    estimate.record(3);
    expect(estimate.retryAfterSeconds(0)).toBe(1);
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

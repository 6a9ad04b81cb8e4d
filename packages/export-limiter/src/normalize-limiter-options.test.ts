import { describe, expect, it } from 'vitest';
import { LimiterError } from './errors.js';
import { type LimiterOptions, normalizeLimiterOptions } from './normalize-limiter-options.js';

describe('normalizeLimiterOptions', () => {
  it('defaults to 5 running and 100 queued, with no per-key cap and no queue timeout', () => {
    expect(normalizeLimiterOptions()).toEqual({
      maxConcurrent: 5,
      maxQueue: 100,
      maxPerKey: undefined,
      maxQueuedPerKey: undefined,
      queueTimeoutMs: undefined,
      now: expect.any(Function),
    });
  });

  it('measures time with performance.now() by default', () => {
    const { now } = normalizeLimiterOptions();
    const before = performance.now();
    const reading = now();
    expect(reading).toBeGreaterThanOrEqual(before);
    expect(reading).toBeLessThanOrEqual(performance.now());
  });

  it('keeps every valid option', () => {
    const now = () => 42;
    expect(
      normalizeLimiterOptions({
        maxConcurrent: 2,
        maxQueue: 0,
        maxPerKey: 1,
        maxQueuedPerKey: 0,
        queueTimeoutMs: 500,
        now,
      }),
    ).toEqual({
      maxConcurrent: 2,
      maxQueue: 0,
      maxPerKey: 1,
      maxQueuedPerKey: 0,
      queueTimeoutMs: 500,
      now,
    });
  });

  it('returns frozen options', () => {
    expect(Object.isFrozen(normalizeLimiterOptions({ maxConcurrent: 3 }))).toBe(true);
  });

  it.each<[LimiterOptions, string]>([
    [{ maxConcurrent: 0 }, 'option `maxConcurrent` must be an integer >= 1, got 0'],
    [{ maxConcurrent: 1.5 }, 'option `maxConcurrent` must be an integer >= 1, got 1.5'],
    [{ maxQueue: -1 }, 'option `maxQueue` must be an integer >= 0, got -1'],
    [
      { maxQueue: Number.POSITIVE_INFINITY },
      'option `maxQueue` must be an integer >= 0, got Infinity',
    ],
    [{ maxPerKey: 0 }, 'option `maxPerKey` must be an integer >= 1, got 0'],
    [{ maxQueuedPerKey: -1 }, 'option `maxQueuedPerKey` must be an integer >= 0, got -1'],
    [{ maxQueuedPerKey: 0.5 }, 'option `maxQueuedPerKey` must be an integer >= 0, got 0.5'],
    [{ queueTimeoutMs: Number.NaN }, 'option `queueTimeoutMs` must be an integer >= 1, got NaN'],
    [
      { maxConcurrent: '5' as unknown as number },
      'option `maxConcurrent` must be an integer >= 1, got "5"',
    ],
    [{ now: 0 as unknown as () => number }, 'option `now` must be a function, got 0'],
  ])('rejects %j with LIMITER_INVALID_OPTION naming the option', (options, message) => {
    let caught: unknown;
    try {
      normalizeLimiterOptions(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LimiterError);
    expect(caught).toMatchObject({ name: 'LimiterError', code: 'LIMITER_INVALID_OPTION', message });
  });

  it('rejects options that are not an object', () => {
    expect(() => normalizeLimiterOptions(null as unknown as LimiterOptions)).toThrowError(
      expect.objectContaining({ code: 'LIMITER_INVALID_OPTION' }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { LimiterClosedError, LimiterQueueFullError } from './errors.js';

const never = () => new Promise<never>(() => {});

describe('limiter.refusal', () => {
  it('is undefined while a task would start at once', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    expect(limiter.refusal()).toBeUndefined();
  });

  it('is undefined while a task would wait in the queue', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 1 });
    void limiter.run(never);
    expect(limiter.refusal()).toBeUndefined();
  });

  it('is the LimiterQueueFullError that run would reject with when the queue is full', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 1 });
    void limiter.run(never);
    void limiter.run(never).catch(() => {});
    const refusal = limiter.refusal();
    expect(refusal).toBeInstanceOf(LimiterQueueFullError);
    expect(refusal).toMatchObject({ code: 'LIMITER_QUEUE_FULL', queued: 1, maxQueue: 1 });
    const rejection = await limiter.run(never).catch((error: unknown) => error);
    expect(rejection).toMatchObject({
      code: 'LIMITER_QUEUE_FULL',
      retryAfterSeconds: (refusal as LimiterQueueFullError).retryAfterSeconds,
    });
  });

  it('counts nothing and changes nothing', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    void limiter.run(never);
    const before = limiter.stats();
    expect(limiter.refusal()).toBeDefined();
    expect(limiter.stats()).toEqual(before);
  });

  it('lets a key under its cap through when the queue is full of another key', () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxQueue: 1, maxPerKey: 1 });
    void limiter.run(never, { key: 'alice' });
    void limiter.run(never, { key: 'alice' }).catch(() => {});
    expect(limiter.refusal({ key: 'alice' })).toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
    expect(limiter.refusal({ key: 'bob' })).toBeUndefined();
  });

  it('is a LimiterClosedError once the limiter closes', () => {
    const limiter = createLimiter();
    void limiter.close();
    expect(limiter.refusal()).toBeInstanceOf(LimiterClosedError);
  });

  it('throws LIMITER_INVALID_OPTION for a key that is not a string', () => {
    const limiter = createLimiter();
    expect(() => limiter.refusal({ key: 42 as unknown as string })).toThrow(
      expect.objectContaining({ code: 'LIMITER_INVALID_OPTION' }),
    );
  });
});

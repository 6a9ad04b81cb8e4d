import { describe, expect, it } from 'vitest';
import {
  LimiterAbortError,
  LimiterClosedError,
  LimiterError,
  LimiterKeyQueueFullError,
  LimiterQueueFullError,
  LimiterQueueTimeoutError,
  limiterErrorCodes,
} from './errors.js';

describe('LimiterError', () => {
  it('is an Error with a name, a code and a message', () => {
    const error = new LimiterError('LIMITER_INVALID_OPTION', 'bad');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'LimiterError',
      code: 'LIMITER_INVALID_OPTION',
      message: 'bad',
    });
  });

  it('keeps its cause', () => {
    const cause = new Error('listener broke');
    expect(new LimiterError('LIMITER_LISTENER_FAILED', 'x', { cause }).cause).toBe(cause);
  });

  it('has no cause property unless one is given', () => {
    expect('cause' in new LimiterError('LIMITER_CLOSED', 'x')).toBe(false);
  });

  it('lists every code', () => {
    expect(limiterErrorCodes).toEqual([
      'LIMITER_INVALID_OPTION',
      'LIMITER_INVALID_ARGUMENT',
      'LIMITER_QUEUE_FULL',
      'LIMITER_KEY_QUEUE_FULL',
      'LIMITER_QUEUE_TIMEOUT',
      'LIMITER_CLOSED',
      'LIMITER_ABORTED',
      'LIMITER_LISTENER_FAILED',
    ]);
  });
});

describe('the LimiterError subclasses', () => {
  it.each([
    [
      new LimiterQueueFullError({ queued: 3, maxQueue: 3, retryAfterSeconds: 2 }),
      'LimiterQueueFullError',
      'LIMITER_QUEUE_FULL',
    ],
    [
      new LimiterKeyQueueFullError({ queuedForKey: 2, maxQueuedPerKey: 2, retryAfterSeconds: 1 }),
      'LimiterKeyQueueFullError',
      'LIMITER_KEY_QUEUE_FULL',
    ],
    [new LimiterQueueTimeoutError(500), 'LimiterQueueTimeoutError', 'LIMITER_QUEUE_TIMEOUT'],
    [new LimiterClosedError(), 'LimiterClosedError', 'LIMITER_CLOSED'],
    [new LimiterAbortError(), 'AbortError', 'LIMITER_ABORTED'],
  ])('%o is a LimiterError named %s with code %s', (error, name, code) => {
    expect(error).toBeInstanceOf(LimiterError);
    expect(error).toMatchObject({ name, code });
  });

  it('LimiterQueueFullError carries the queue and when to retry', () => {
    expect(
      new LimiterQueueFullError({ queued: 100, maxQueue: 100, retryAfterSeconds: 3 }),
    ).toMatchObject({
      message: 'the queue is full (100 waiting, maxQueue 100); retry in 3 s',
      queued: 100,
      maxQueue: 100,
      retryAfterSeconds: 3,
    });
  });

  it("LimiterKeyQueueFullError carries its key's queue and when to retry", () => {
    expect(
      new LimiterKeyQueueFullError({ queuedForKey: 2, maxQueuedPerKey: 2, retryAfterSeconds: 5 }),
    ).toMatchObject({
      message: '2 tasks of this key already waiting (maxQueuedPerKey 2); retry in 5 s',
      queuedForKey: 2,
      maxQueuedPerKey: 2,
      retryAfterSeconds: 5,
    });
  });

  it('LimiterAbortError keeps the reason as its cause', () => {
    const reason = new Error('client went away');
    expect(new LimiterAbortError({ cause: reason }).cause).toBe(reason);
  });
});

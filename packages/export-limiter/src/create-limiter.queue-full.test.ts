import { describe, expect, it } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { LimiterError, LimiterQueueFullError } from './errors.js';
import { controlledTasks } from './test-helpers/controlled-task.js';
import { manualClock } from './test-helpers/manual-clock.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

describe('limiter.run with a full queue', () => {
  it('rejects at once with LimiterQueueFullError once maxQueue tasks wait', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 2 });
    for (const task of controlledTasks(3)) void limiter.run(task.task);
    let called = false;
    const error = await rejectionOf(
      limiter.run(() => {
        called = true;
      }),
    );
    expect(error).toBeInstanceOf(LimiterQueueFullError);
    expect(error).toBeInstanceOf(LimiterError);
    expect(error).toMatchObject({
      name: 'LimiterQueueFullError',
      code: 'LIMITER_QUEUE_FULL',
      message: 'the queue is full (2 waiting, maxQueue 2); retry in 1 s',
      queued: 2,
      maxQueue: 2,
      retryAfterSeconds: 1,
    });
    expect(called).toBe(false);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 2, rejected: 1 });
  });

  it('rejects as soon as every slot is busy when maxQueue is 0', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    expect(await rejectionOf(limiter.run(() => 1))).toMatchObject({
      code: 'LIMITER_QUEUE_FULL',
      message: 'every slot is busy and queueing is off; retry in 1 s',
      queued: 0,
      maxQueue: 0,
    });
  });

  it('admits again once the queue has room', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 1 });
    const [running, waiting] = controlledTasks(2);
    const first = limiter.run(running.task);
    void limiter.run(waiting.task);
    await rejectionOf(limiter.run(() => 'refused'));
    running.resolve('done');
    await first;
    const third = limiter.run(() => 'admitted');
    expect(limiter.stats().queued).toBe(1);
    waiting.resolve('done');
    await expect(third).resolves.toBe('admitted');
  });

  it('estimates retryAfterSeconds from recent run durations and the queue ahead', async () => {
    const clock = manualClock();
    const limiter = createLimiter({ maxConcurrent: 2, maxQueue: 3, now: clock.now });
    // Two tasks that held their slot 4 s each: a mean of 4000 ms.
    const [slow, slower] = controlledTasks(2);
    const finished = [limiter.run(slow.task), limiter.run(slower.task)];
    clock.advance(4_000);
    slow.resolve('a');
    slower.resolve('b');
    await Promise.all(finished);
    for (const task of controlledTasks(5)) void limiter.run(task.task);
    const error = await rejectionOf(limiter.run(() => 'refused'));
    // ceil(4000 ms × (3 queued + 1) / 2 slots) = 8 s.
    expect(error).toMatchObject({ retryAfterSeconds: 8, queued: 3 });
    expect((error as Error).message).toBe(
      'the queue is full (3 waiting, maxQueue 3); retry in 8 s',
    );
  });

  it('counts failed runs in the duration estimate too', async () => {
    const clock = manualClock();
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0, now: clock.now });
    const [failing] = controlledTasks(1);
    const failed = limiter.run(failing.task);
    clock.advance(2_500);
    failing.reject(new Error('timeout upstream'));
    await rejectionOf(failed);
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    expect(await rejectionOf(limiter.run(() => 'refused'))).toMatchObject({
      retryAfterSeconds: 3,
    });
  });

  it('answers 1 s before any task has finished', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    expect(await rejectionOf(limiter.run(() => 'refused'))).toMatchObject({
      retryAfterSeconds: 1,
    });
  });
});

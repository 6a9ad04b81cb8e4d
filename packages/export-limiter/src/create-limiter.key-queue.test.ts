import { describe, expect, it } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { LimiterError, LimiterKeyQueueFullError } from './errors.js';
import type { LimiterRejectedEvent } from './limiter-events.js';
import { controlledTasks } from './test-helpers/controlled-task.js';
import { manualClock } from './test-helpers/manual-clock.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

const never = () => new Promise<never>(() => {});

describe('limiter.run with maxQueuedPerKey', () => {
  it('refuses at once a task of a key that has maxQueuedPerKey tasks waiting, though the queue has room', async () => {
    const limiter = createLimiter({
      maxConcurrent: 3,
      maxQueue: 5,
      maxPerKey: 1,
      maxQueuedPerKey: 1,
    });
    void limiter.run(never, { key: 'alice' });
    void limiter.run(never, { key: 'alice' });
    let called = false;
    const error = await rejectionOf(
      limiter.run(
        () => {
          called = true;
        },
        { key: 'alice' },
      ),
    );
    expect(error).toBeInstanceOf(LimiterKeyQueueFullError);
    expect(error).toBeInstanceOf(LimiterError);
    expect(error).toMatchObject({
      name: 'LimiterKeyQueueFullError',
      code: 'LIMITER_KEY_QUEUE_FULL',
      message: '1 task of this key already waiting (maxQueuedPerKey 1); retry in 1 s',
      queuedForKey: 1,
      maxQueuedPerKey: 1,
      retryAfterSeconds: 1,
    });
    expect(called).toBe(false);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 1, rejected: 1 });
  });

  it('leaves room in the queue and the free slots for the other keys', () => {
    const limiter = createLimiter({
      maxConcurrent: 3,
      maxQueue: 5,
      maxPerKey: 1,
      maxQueuedPerKey: 1,
    });
    for (let upload = 0; upload < 6; upload += 1) {
      void limiter.run(never, { key: 'alice' }).catch(() => {});
    }
    const [bob] = controlledTasks(1);
    void limiter.run(bob.task, { key: 'bob' });
    expect(bob.calls).toBe(1);
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 1, rejected: 4 });
  });

  it('counts tasks waiting for a slot, whatever holds them up', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 5, maxQueuedPerKey: 2 });
    void limiter.run(never, { key: 'carol' });
    void limiter.run(never, { key: 'alice' });
    void limiter.run(never, { key: 'alice' });
    expect(await rejectionOf(limiter.run(never, { key: 'alice' }))).toMatchObject({
      code: 'LIMITER_KEY_QUEUE_FULL',
      queuedForKey: 2,
      message: '2 tasks of this key already waiting (maxQueuedPerKey 2); retry in 1 s',
    });
  });

  it('admits a task of the key again once one of its waiting tasks has started', async () => {
    const limiter = createLimiter({ maxConcurrent: 3, maxPerKey: 1, maxQueuedPerKey: 1 });
    const [running, waiting, later] = controlledTasks(3);
    const first = limiter.run(running.task, { key: 'alice' });
    void limiter.run(waiting.task, { key: 'alice' });
    running.resolve('done');
    await first;
    void limiter.run(later.task, { key: 'alice' });
    expect([waiting.calls, later.calls]).toEqual([1, 0]);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 1, rejected: 0 });
  });

  it('admits a task of the key again once one of its waiting tasks was aborted', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueuedPerKey: 1 });
    void limiter.run(never, { key: 'alice' });
    const controller = new AbortController();
    const aborted = limiter.run(never, { key: 'alice', signal: controller.signal });
    controller.abort(new Error('client went away'));
    await rejectionOf(aborted);
    void limiter.run(never, { key: 'alice' });
    expect(limiter.stats()).toMatchObject({ queued: 1, rejected: 1 });
  });

  it('refuses every task of a key that cannot start at once when maxQueuedPerKey is 0', async () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxPerKey: 1, maxQueuedPerKey: 0 });
    void limiter.run(never, { key: 'alice' });
    expect(await rejectionOf(limiter.run(never, { key: 'alice' }))).toMatchObject({
      code: 'LIMITER_KEY_QUEUE_FULL',
      queuedForKey: 0,
      message: 'every slot this key may use is busy and it may not queue; retry in 1 s',
    });
  });

  it('does not bind tasks without a key', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 5, maxQueuedPerKey: 0 });
    void limiter.run(never);
    void limiter.run(never);
    void limiter.run(never);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 2, rejected: 0 });
  });

  it('refuses with the key cap first when both the key and the queue are full', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 1, maxQueuedPerKey: 1 });
    void limiter.run(never, { key: 'alice' });
    void limiter.run(never, { key: 'alice' });
    expect(await rejectionOf(limiter.run(never, { key: 'alice' }))).toMatchObject({
      code: 'LIMITER_KEY_QUEUE_FULL',
    });
    expect(await rejectionOf(limiter.run(never, { key: 'bob' }))).toMatchObject({
      code: 'LIMITER_QUEUE_FULL',
    });
  });

  it('estimates Retry-After as for a full queue: the queue ahead over every slot', async () => {
    const clock = manualClock();
    const limiter = createLimiter({ maxConcurrent: 2, maxQueuedPerKey: 1, now: clock.now });
    const [first, second] = controlledTasks(2);
    const firstDone = limiter.run(first.task);
    const secondDone = limiter.run(second.task);
    clock.advance(4_000);
    first.resolve('done');
    second.resolve('done');
    await Promise.all([firstDone, secondDone]);
    for (const task of controlledTasks(3)) void limiter.run(task.task, { key: 'alice' });
    // Mean run 4 s, one task queued ahead plus the refused one, over 2 slots: 4 s.
    expect(await rejectionOf(limiter.run(never, { key: 'alice' }))).toMatchObject({
      retryAfterSeconds: 4,
    });
  });

  it("emits 'rejected' with reason key_queue_full", async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueuedPerKey: 0 });
    const rejected: LimiterRejectedEvent[] = [];
    limiter.on('rejected', (event) => rejected.push(event));
    void limiter.run(never, { key: 'alice' });
    await rejectionOf(limiter.run(never, { key: 'alice' }));
    expect(rejected).toMatchObject([
      { key: 'alice', reason: 'key_queue_full', waitMs: 0, running: 1, queued: 0 },
    ]);
    expect(rejected[0]?.error.code).toBe('LIMITER_KEY_QUEUE_FULL');
  });

  it('reports maxQueuedPerKey in stats', () => {
    expect(createLimiter({ maxQueuedPerKey: 2 }).stats().maxQueuedPerKey).toBe(2);
  });
});

describe('limiter.refusal with maxQueuedPerKey', () => {
  it('is the LimiterKeyQueueFullError run would reject with, for that key only', async () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxPerKey: 1, maxQueuedPerKey: 1 });
    void limiter.run(never, { key: 'alice' });
    void limiter.run(never, { key: 'alice' });
    const refusal = limiter.refusal({ key: 'alice' });
    expect(refusal).toBeInstanceOf(LimiterKeyQueueFullError);
    expect(refusal).toMatchObject({ code: 'LIMITER_KEY_QUEUE_FULL', queuedForKey: 1 });
    expect(limiter.refusal({ key: 'bob' })).toBeUndefined();
    expect(await rejectionOf(limiter.run(never, { key: 'alice' }))).toMatchObject({
      code: 'LIMITER_KEY_QUEUE_FULL',
      retryAfterSeconds: (refusal as LimiterKeyQueueFullError).retryAfterSeconds,
    });
  });

  it('is undefined for a key whose task would start at once, whatever it has waiting', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueuedPerKey: 0 });
    expect(limiter.refusal({ key: 'alice' })).toBeUndefined();
  });
});

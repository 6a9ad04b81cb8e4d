import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLimiter } from './create-limiter.js';
import type { LimiterQueuedEvent } from './limiter-events.js';
import { controlledTask, controlledTasks } from './test-helpers/controlled-task.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

const never = () => new Promise<never>(() => {});

afterEach(() => {
  vi.useRealTimers();
});

describe('limiter.run with accepted: true', () => {
  it('starts at once when a slot is free, like any task', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    const task = controlledTask();
    void limiter.run(task.task, { accepted: true });
    expect(task.calls).toBe(1);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 0 });
  });

  it('joins a full queue instead of being refused', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 2 });
    for (const task of controlledTasks(3)) void limiter.run(task.task);
    const accepted = controlledTask();
    void limiter.run(accepted.task, { accepted: true });
    expect(accepted.calls).toBe(0);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 3, maxQueue: 2, rejected: 0 });
  });

  it('queues even when maxQueue is 0', () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    void limiter.run(never);
    void limiter.run(never, { accepted: true });
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 1, rejected: 0 });
  });

  it("joins a key's full queue instead of being refused", () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxPerKey: 1, maxQueuedPerKey: 1 });
    void limiter.run(never, { key: 'alice' });
    void limiter.run(never, { key: 'alice' });
    void limiter.run(never, { key: 'alice', accepted: true });
    void limiter.run(never, { key: 'alice', accepted: true });
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 3, rejected: 0 });
  });

  it('waits its turn in FIFO order with the tasks queued before and after it', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 3 });
    const order: string[] = [];
    const gate = controlledTask();
    const gateDone = limiter.run(gate.task);
    const ran = (name: string) => () => {
      order.push(name);
    };
    const queued = [
      limiter.run(ran('normal 1')),
      limiter.run(ran('accepted 1'), { accepted: true }),
      limiter.run(ran('normal 2')),
      // The queue is full from here: only accepted work joins it.
      limiter.run(ran('accepted 2'), { accepted: true }),
      limiter.run(ran('accepted 3'), { accepted: true }),
    ];
    expect(limiter.stats().queued).toBe(5);
    gate.resolve('done');
    await gateDone;
    await Promise.all(queued);
    expect(order).toEqual(['normal 1', 'accepted 1', 'normal 2', 'accepted 2', 'accepted 3']);
  });

  it('waits behind its own key and lets other keys go ahead, as any waiting task', async () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxPerKey: 1, maxQueue: 0 });
    const [alice, aliceAccepted] = controlledTasks(2);
    const aliceDone = limiter.run(alice.task, { key: 'alice' });
    void limiter.run(aliceAccepted.task, { key: 'alice', accepted: true });
    expect(aliceAccepted.calls).toBe(0);
    alice.resolve('done');
    await aliceDone;
    expect(aliceAccepted.calls).toBe(1);
  });

  it('counts in queued past maxQueue, and a normal task is refused meanwhile', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 1 });
    void limiter.run(never);
    for (let job = 0; job < 3; job += 1) void limiter.run(never, { accepted: true });
    expect(limiter.stats()).toMatchObject({ queued: 3, maxQueue: 1 });
    expect(limiter.refusal()).toMatchObject({ code: 'LIMITER_QUEUE_FULL', queued: 3 });
    expect(await rejectionOf(limiter.run(never))).toMatchObject({
      code: 'LIMITER_QUEUE_FULL',
      message: 'the queue is full (3 waiting, maxQueue 1); retry in 1 s',
      queued: 3,
      maxQueue: 1,
    });
    expect(limiter.stats()).toMatchObject({ queued: 3, rejected: 1 });
  });

  it("counts in its key's queue, so a normal task of the key is refused meanwhile", async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueuedPerKey: 1 });
    void limiter.run(never);
    void limiter.run(never, { key: 'alice', accepted: true });
    void limiter.run(never, { key: 'alice', accepted: true });
    expect(await rejectionOf(limiter.run(never, { key: 'alice' }))).toMatchObject({
      code: 'LIMITER_KEY_QUEUE_FULL',
      message: '2 tasks of this key already waiting (maxQueuedPerKey 1); retry in 1 s',
      queuedForKey: 2,
    });
  });

  it("emits 'queued' when it has to wait", () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    const queued: LimiterQueuedEvent[] = [];
    limiter.on('queued', (event) => queued.push(event));
    void limiter.run(never);
    void limiter.run(never, { key: 'alice', accepted: true });
    expect(queued).toEqual([{ key: 'alice', running: 1, queued: 1 }]);
  });

  it('is still refused with LIMITER_CLOSED while the limiter closes', async () => {
    const limiter = createLimiter();
    void limiter.close();
    const task = controlledTask();
    expect(await rejectionOf(limiter.run(task.task, { accepted: true }))).toMatchObject({
      code: 'LIMITER_CLOSED',
    });
    expect(task.calls).toBe(0);
  });

  it('is still refused with LIMITER_ABORTED when its signal has aborted', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    void limiter.run(never);
    const reason = new Error('job cancelled');
    const refused = limiter.run(never, { accepted: true, signal: AbortSignal.abort(reason) });
    expect(await rejectionOf(refused)).toMatchObject({ code: 'LIMITER_ABORTED', cause: reason });
    expect(limiter.stats()).toMatchObject({ queued: 0, rejected: 1 });
  });

  it('leaves the queue when its signal aborts while it waits', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    void limiter.run(never);
    const controller = new AbortController();
    const waiting = limiter.run(never, { accepted: true, signal: controller.signal });
    controller.abort();
    expect(await rejectionOf(waiting)).toMatchObject({ code: 'LIMITER_ABORTED' });
    expect(limiter.stats()).toMatchObject({ queued: 0, rejected: 1 });
  });

  it('still gives up after queueTimeoutMs', async () => {
    vi.useFakeTimers();
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 500 });
    void limiter.run(never);
    const waiting = limiter.run(never, { accepted: true });
    vi.advanceTimersByTime(500);
    expect(await rejectionOf(waiting)).toMatchObject({
      code: 'LIMITER_QUEUE_TIMEOUT',
      queueTimeoutMs: 500,
    });
  });

  it('is dropped with LIMITER_CLOSED when the close timeout passes before it starts', async () => {
    vi.useFakeTimers();
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    const gate = controlledTask();
    void limiter.run(gate.task);
    const waiting = limiter.run(never, { accepted: true });
    void limiter.close({ timeoutMs: 100 });
    vi.advanceTimersByTime(100);
    expect(await rejectionOf(waiting)).toMatchObject({ code: 'LIMITER_CLOSED' });
  });

  it('rejects an accepted that is not a boolean with LIMITER_INVALID_OPTION, counted nowhere', async () => {
    const limiter = createLimiter();
    const error = await rejectionOf(limiter.run(never, { accepted: 'yes' as unknown as boolean }));
    expect(error).toMatchObject({
      code: 'LIMITER_INVALID_OPTION',
      message: 'option `accepted` must be a boolean, got "yes"',
    });
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0, rejected: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { LimiterAbortError, LimiterError } from './errors.js';
import { controlledTask, controlledTasks } from './test-helpers/controlled-task.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

describe('limiter.run with a signal aborted before the call', () => {
  it('rejects at once with an AbortError coded LIMITER_ABORTED that keeps the reason', async () => {
    const limiter = createLimiter();
    const reason = new Error('client went away');
    const error = await rejectionOf(limiter.run(() => 1, { signal: AbortSignal.abort(reason) }));
    expect(error).toBeInstanceOf(LimiterAbortError);
    expect(error).toBeInstanceOf(LimiterError);
    expect(error).toMatchObject({
      name: 'AbortError',
      code: 'LIMITER_ABORTED',
      message: 'the task was aborted before it started',
      cause: reason,
    });
  });

  it('never calls the task nor queues it', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    const task = controlledTask();
    await rejectionOf(limiter.run(task.task, { signal: AbortSignal.abort() }));
    expect(task.calls).toBe(0);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 0, rejected: 1 });
  });
});

describe('limiter.run with a signal that aborts while the task waits', () => {
  it('leaves the queue at once', () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    const controller = new AbortController();
    void limiter.run(() => 1, { signal: controller.signal }).catch(() => {});
    expect(limiter.stats().queued).toBe(1);
    controller.abort();
    expect(limiter.stats()).toMatchObject({ queued: 0, rejected: 1 });
  });

  it('rejects with LIMITER_ABORTED keeping the reason', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    const controller = new AbortController();
    const result = limiter.run(() => 1, { signal: controller.signal });
    const reason = new Error('user cancelled');
    controller.abort(reason);
    expect(await rejectionOf(result)).toMatchObject({
      name: 'AbortError',
      code: 'LIMITER_ABORTED',
      cause: reason,
    });
  });

  it('is never called, even when a slot frees later', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const gate = controlledTask();
    const gateDone = limiter.run(gate.task);
    const controller = new AbortController();
    const aborted = controlledTask();
    const result = limiter.run(aborted.task, { signal: controller.signal });
    controller.abort();
    await rejectionOf(result);
    gate.resolve('done');
    await gateDone;
    expect(aborted.calls).toBe(0);
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('leaks no slot: the tasks behind it still fill every slot', async () => {
    const limiter = createLimiter({ maxConcurrent: 2 });
    const [first, second] = controlledTasks(2);
    const firstDone = limiter.run(first.task);
    void limiter.run(second.task);
    const controller = new AbortController();
    const abortedResult = limiter.run(() => 'never', { signal: controller.signal });
    const behind = controlledTasks(2);
    for (const task of behind) void limiter.run(task.task);
    controller.abort();
    await rejectionOf(abortedResult);
    first.resolve('done');
    await firstDone;
    expect(behind.map((task) => task.calls)).toEqual([1, 0]);
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 1 });
  });
});

describe('limiter.run with a signal that aborts while the task runs', () => {
  it("aborts the task's signal with the caller's reason", () => {
    const limiter = createLimiter();
    const task = controlledTask();
    const controller = new AbortController();
    void limiter.run(task.task, { signal: controller.signal }).catch(() => {});
    const reason = new Error('client went away');
    controller.abort(reason);
    expect(task.signal?.aborted).toBe(true);
    expect(task.signal?.reason).toBe(reason);
  });

  it('keeps the slot until the task settles', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const task = controlledTask();
    const controller = new AbortController();
    const result = limiter.run(task.task, { signal: controller.signal });
    const waiting = controlledTask();
    void limiter.run(waiting.task);
    controller.abort();
    await Promise.resolve();
    expect(waiting.calls).toBe(0);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 1 });
    task.reject(task.signal?.reason);
    await rejectionOf(result);
    expect(waiting.calls).toBe(1);
  });

  it('settles as the task does, even when the task ignores the abort', async () => {
    const limiter = createLimiter();
    const task = controlledTask();
    const controller = new AbortController();
    const result = limiter.run(task.task, { signal: controller.signal });
    controller.abort();
    task.resolve('finished anyway');
    await expect(result).resolves.toBe('finished anyway');
    expect(limiter.stats()).toMatchObject({ completed: 1, rejected: 0 });
  });

  it("stops listening to the caller's signal once the task settles", async () => {
    const limiter = createLimiter();
    const task = controlledTask();
    const controller = new AbortController();
    const result = limiter.run(task.task, { signal: controller.signal });
    task.resolve('done');
    await result;
    controller.abort();
    expect(task.signal?.aborted).toBe(false);
  });
});

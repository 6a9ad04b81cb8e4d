import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { LimiterError, LimiterQueueTimeoutError } from './errors.js';
import { controlledTask, controlledTasks } from './test-helpers/controlled-task.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

describe('limiter.run with queueTimeoutMs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('rejects a task that waited queueTimeoutMs with LIMITER_QUEUE_TIMEOUT', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 1_000 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    const result = limiter.run(() => 'late');
    const rejection = rejectionOf(result);
    vi.advanceTimersByTime(1_000);
    const error = await rejection;
    expect(error).toBeInstanceOf(LimiterQueueTimeoutError);
    expect(error).toBeInstanceOf(LimiterError);
    expect(error).toMatchObject({
      name: 'LimiterQueueTimeoutError',
      code: 'LIMITER_QUEUE_TIMEOUT',
      message: 'the task waited 1000 ms for a slot and gave up',
      queueTimeoutMs: 1_000,
    });
  });

  it('keeps the task waiting until the timeout has passed', () => {
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 1_000 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    void limiter.run(() => 'late').catch(() => {});
    vi.advanceTimersByTime(999);
    expect(limiter.stats()).toMatchObject({ queued: 1, rejected: 0 });
  });

  it('takes the timed-out task out of the queue, so it never runs', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 1_000 });
    const gate = controlledTask();
    const gateDone = limiter.run(gate.task);
    const late = controlledTask();
    const rejection = rejectionOf(limiter.run(late.task));
    vi.advanceTimersByTime(1_000);
    await rejection;
    expect(limiter.stats()).toMatchObject({ queued: 0, rejected: 1 });
    gate.resolve('done');
    await gateDone;
    expect(late.calls).toBe(0);
  });

  it('clears the timer of a task that starts in time', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 1_000 });
    const gate = controlledTask();
    const gateDone = limiter.run(gate.task);
    const waiting = controlledTask();
    const result = limiter.run(waiting.task);
    expect(vi.getTimerCount()).toBe(1);
    gate.resolve('done');
    await gateDone;
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    waiting.resolve('ran');
    await expect(result).resolves.toBe('ran');
  });

  it('clears the timer of a task that leaves the queue by abort', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 1_000 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    const controller = new AbortController();
    const rejection = rejectionOf(limiter.run(() => 1, { signal: controller.signal }));
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);
    expect(await rejection).toMatchObject({ code: 'LIMITER_ABORTED' });
  });

  it('does not keep the process alive with its timer', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 1_000 });
    for (const task of controlledTasks(1)) void limiter.run(task.task);
    void limiter.run(() => 1).catch(() => {});
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
  });

  it('sets no timer for a task that starts at once', () => {
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 1_000 });
    void limiter.run(controlledTask().task);
    expect(vi.getTimerCount()).toBe(0);
  });
});

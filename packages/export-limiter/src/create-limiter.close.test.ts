import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { LimiterClosedError, LimiterError } from './errors.js';
import { controlledTask, controlledTasks } from './test-helpers/controlled-task.js';
import { hasSettled } from './test-helpers/has-settled.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('limiter.close', () => {
  it('resolves at once when nothing runs or waits', async () => {
    await expect(createLimiter().close()).resolves.toBeUndefined();
  });

  it('makes later run calls reject with LIMITER_CLOSED, counted as rejected', async () => {
    const limiter = createLimiter();
    void limiter.close();
    const task = controlledTask();
    const error = await rejectionOf(limiter.run(task.task));
    expect(error).toBeInstanceOf(LimiterClosedError);
    expect(error).toBeInstanceOf(LimiterError);
    expect(error).toMatchObject({
      name: 'LimiterClosedError',
      code: 'LIMITER_CLOSED',
      message: 'the limiter is closed',
    });
    expect(task.calls).toBe(0);
    expect(limiter.stats().rejected).toBe(1);
  });

  it('waits for running tasks to settle', async () => {
    const limiter = createLimiter();
    const task = controlledTask();
    void limiter.run(task.task);
    const closed = limiter.close();
    expect(await hasSettled(closed)).toBe(false);
    task.resolve('done');
    await closed;
    expect(limiter.stats().running).toBe(0);
  });

  it('still runs the queued tasks, and waits for them', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const [running, waiting] = controlledTasks(2);
    const first = limiter.run(running.task);
    const second = limiter.run(waiting.task);
    const closed = limiter.close();
    running.resolve('first');
    await first;
    expect(waiting.calls).toBe(1);
    expect(await hasSettled(closed)).toBe(false);
    waiting.resolve('second');
    await expect(second).resolves.toBe('second');
    await closed;
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0, completed: 2 });
  });

  it('returns the same promise when called twice', () => {
    const limiter = createLimiter();
    void limiter.run(controlledTask().task);
    expect(limiter.close()).toBe(limiter.close({ timeoutMs: 10 }));
  });

  it('rejects a bad timeoutMs with LIMITER_INVALID_OPTION, and keeps admitting', async () => {
    const limiter = createLimiter();
    expect(await rejectionOf(limiter.close({ timeoutMs: -1 }))).toMatchObject({
      code: 'LIMITER_INVALID_OPTION',
      message: 'option `timeoutMs` must be an integer >= 0, got -1',
    });
    await expect(limiter.run(() => 'still open')).resolves.toBe('still open');
  });
});

describe('limiter.close with timeoutMs', () => {
  it('rejects the queued tasks with LIMITER_CLOSED when the timeout passes', async () => {
    vi.useFakeTimers();
    const limiter = createLimiter({ maxConcurrent: 1 });
    const [running, waiting] = controlledTasks(2);
    void limiter.run(running.task).catch(() => {});
    const dropped = rejectionOf(limiter.run(waiting.task));
    void limiter.close({ timeoutMs: 1_000 });
    vi.advanceTimersByTime(1_000);
    expect(await dropped).toMatchObject({
      code: 'LIMITER_CLOSED',
      message: 'the limiter closed before the task started',
    });
    expect(waiting.calls).toBe(0);
    expect(limiter.stats()).toMatchObject({ queued: 0, rejected: 1 });
  });

  it("aborts running tasks' signals with a LIMITER_CLOSED reason when the timeout passes", () => {
    vi.useFakeTimers();
    const limiter = createLimiter();
    const task = controlledTask();
    void limiter.run(task.task).catch(() => {});
    void limiter.close({ timeoutMs: 1_000 });
    vi.advanceTimersByTime(999);
    expect(task.signal?.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(task.signal?.aborted).toBe(true);
    expect(task.signal?.reason).toBeInstanceOf(LimiterClosedError);
    expect(task.signal?.reason).toMatchObject({
      code: 'LIMITER_CLOSED',
      message: 'the limiter closed before the task finished',
    });
  });

  it('resolves only once the aborted running tasks settle', async () => {
    vi.useFakeTimers();
    const limiter = createLimiter();
    const task = controlledTask();
    const result = limiter.run(task.task);
    const closed = limiter.close({ timeoutMs: 1_000 });
    vi.advanceTimersByTime(1_000);
    expect(await hasSettled(closed)).toBe(false);
    task.reject(task.signal?.reason);
    await rejectionOf(result);
    await closed;
    expect(limiter.stats()).toMatchObject({ running: 0, failed: 1 });
  });

  it('clears its timer when the work finishes first', async () => {
    vi.useFakeTimers();
    const limiter = createLimiter();
    const task = controlledTask();
    void limiter.run(task.task);
    const closed = limiter.close({ timeoutMs: 1_000 });
    expect(vi.getTimerCount()).toBe(1);
    task.resolve('done');
    await closed;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with timeoutMs 0, drops the queue and aborts running tasks on the next turn', async () => {
    vi.useFakeTimers();
    const limiter = createLimiter({ maxConcurrent: 1 });
    const [running, waiting] = controlledTasks(2);
    void limiter.run(running.task).catch(() => {});
    const dropped = rejectionOf(limiter.run(waiting.task));
    void limiter.close({ timeoutMs: 0 });
    vi.advanceTimersByTime(0);
    expect(await dropped).toMatchObject({ code: 'LIMITER_CLOSED' });
    expect(running.signal?.aborted).toBe(true);
  });
});

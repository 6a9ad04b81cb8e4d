import { describe, expect, it } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { LimiterError } from './errors.js';
import { controlledTask, controlledTasks } from './test-helpers/controlled-task.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

describe('createLimiter', () => {
  it('rejects bad options at creation with LIMITER_INVALID_OPTION', () => {
    expect(() => createLimiter({ maxConcurrent: 0 })).toThrowError(
      expect.objectContaining({
        code: 'LIMITER_INVALID_OPTION',
        message: 'option `maxConcurrent` must be an integer >= 1, got 0',
      }),
    );
  });

  it('defaults to 5 running and 100 queued, with no per-key cap', () => {
    expect(createLimiter().stats()).toEqual({
      running: 0,
      queued: 0,
      maxConcurrent: 5,
      maxQueue: 100,
      maxPerKey: undefined,
      maxQueuedPerKey: undefined,
      completed: 0,
      failed: 0,
      rejected: 0,
    });
  });
});

describe('limiter.run admission', () => {
  it('starts a task at once while fewer than maxConcurrent run', () => {
    const limiter = createLimiter({ maxConcurrent: 2 });
    const [first, second] = controlledTasks(2);
    void limiter.run(first.task);
    void limiter.run(second.task);
    expect([first.calls, second.calls]).toEqual([1, 1]);
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 0 });
  });

  it('gives the task an AbortSignal that is not aborted', () => {
    const limiter = createLimiter();
    const task = controlledTask();
    void limiter.run(task.task);
    expect(task.signal).toBeInstanceOf(AbortSignal);
    expect(task.signal?.aborted).toBe(false);
  });

  it('resolves with what the task resolves with', async () => {
    const limiter = createLimiter();
    const task = controlledTask();
    const result = limiter.run(task.task);
    task.resolve('done');
    await expect(result).resolves.toBe('done');
  });

  it('accepts a task that returns a plain value', async () => {
    const limiter = createLimiter();
    await expect(limiter.run(() => 42)).resolves.toBe(42);
  });

  it('queues a task once maxConcurrent run, without calling it', () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const [running, waiting] = controlledTasks(2);
    void limiter.run(running.task);
    void limiter.run(waiting.task);
    expect(waiting.calls).toBe(0);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 1 });
  });

  it('starts a queued task when a running one settles', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const [running, waiting] = controlledTasks(2);
    const first = limiter.run(running.task);
    void limiter.run(waiting.task);
    running.resolve('first');
    await first;
    expect(waiting.calls).toBe(1);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 0 });
  });

  it('starts queued tasks in the order they arrived', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const order: string[] = [];
    const gate = controlledTask();
    const results = [
      limiter.run(gate.task),
      ...['a', 'b', 'c'].map((name) => limiter.run(() => order.push(name))),
    ];
    gate.resolve('open');
    await Promise.all(results);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('runs each task once', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const tasks = controlledTasks(3);
    const results = tasks.map((task) => limiter.run(task.task));
    for (const [index, task] of tasks.entries()) {
      task.resolve(String(index));
      await results[index];
    }
    expect(tasks.map((task) => task.calls)).toEqual([1, 1, 1]);
  });
});

describe('limiter.run when a task fails', () => {
  it('rejects with what the task rejects with, and frees the slot', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const [failing, waiting] = controlledTasks(2);
    const failure = new Error('export failed');
    const result = limiter.run(failing.task);
    void limiter.run(waiting.task);
    failing.reject(failure);
    expect(await rejectionOf(result)).toBe(failure);
    expect(waiting.calls).toBe(1);
  });

  it('rejects with what the task throws synchronously, and frees the slot', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const failure = new Error('bad input');
    const result = limiter.run(() => {
      throw failure;
    });
    const waiting = controlledTask();
    void limiter.run(waiting.task);
    expect(await rejectionOf(result)).toBe(failure);
    expect(waiting.calls).toBe(1);
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 0 });
  });

  it('rejects when the task returns a thenable that throws, and frees the slot', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const failure = new Error('broken thenable');
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a broken thenable is the point of the test
      then() {
        throw failure;
      },
    };
    expect(await rejectionOf(limiter.run(() => thenable))).toBe(failure);
    expect(limiter.stats()).toMatchObject({ running: 0, failed: 1 });
  });
});

describe('limiter.stats counters', () => {
  it('counts resolved tasks as completed, failed ones as failed, refused calls as rejected', async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    const gate = controlledTask();
    const running = limiter.run(gate.task);
    await rejectionOf(limiter.run(() => 'refused'));
    gate.resolve('ok');
    await running;
    await rejectionOf(limiter.run(() => Promise.reject(new Error('no'))));
    await limiter.run(() => 'ok');
    expect(limiter.stats()).toMatchObject({ completed: 2, failed: 1, rejected: 1 });
  });

  it('never lets running or queued go negative after failures', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const results = Array.from({ length: 5 }, () =>
      limiter.run(() => {
        throw new Error('always');
      }),
    );
    await Promise.allSettled(results);
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0, failed: 5 });
  });

  it('reports maxPerKey when set', () => {
    expect(createLimiter({ maxPerKey: 2 }).stats().maxPerKey).toBe(2);
  });
});

describe('limiter.run arguments', () => {
  it('rejects a task that is not a function with LIMITER_INVALID_ARGUMENT, counting nothing', async () => {
    const limiter = createLimiter();
    const error = await rejectionOf(limiter.run('export' as unknown as () => string));
    expect(error).toBeInstanceOf(LimiterError);
    expect(error).toMatchObject({
      code: 'LIMITER_INVALID_ARGUMENT',
      message: 'argument `task` must be a function, got "export"',
    });
    expect(limiter.stats()).toMatchObject({ completed: 0, failed: 0, rejected: 0 });
  });

  it('rejects a key that is not a string with LIMITER_INVALID_OPTION', async () => {
    const limiter = createLimiter();
    const error = await rejectionOf(limiter.run(() => 1, { key: 7 as unknown as string }));
    expect(error).toMatchObject({
      code: 'LIMITER_INVALID_OPTION',
      message: 'option `key` must be a string, got 7',
    });
  });
});

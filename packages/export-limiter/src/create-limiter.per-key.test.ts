import { describe, expect, it } from 'vitest';
import { createLimiter } from './create-limiter.js';
import { controlledTask, controlledTasks } from './test-helpers/controlled-task.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

describe('limiter.run with maxPerKey', () => {
  it('runs no more than maxPerKey tasks of one key at once', () => {
    const limiter = createLimiter({ maxConcurrent: 5, maxPerKey: 2 });
    const tasks = controlledTasks(4);
    for (const task of tasks) void limiter.run(task.task, { key: 'alice' });
    expect(tasks.map((task) => task.calls)).toEqual([1, 1, 0, 0]);
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 2 });
  });

  it('lets tasks of other keys go ahead of a key at its cap', () => {
    const limiter = createLimiter({ maxConcurrent: 5, maxPerKey: 1 });
    const [aliceFirst, aliceSecond] = controlledTasks(2);
    const bob = controlledTask();
    void limiter.run(aliceFirst.task, { key: 'alice' });
    void limiter.run(aliceSecond.task, { key: 'alice' });
    void limiter.run(bob.task, { key: 'bob' });
    expect([aliceSecond.calls, bob.calls]).toEqual([0, 1]);
  });

  it('lets a queued task of another key pass a capped key when a slot frees', async () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxPerKey: 1 });
    const [alice, carol, aliceWaiting, bobWaiting] = controlledTasks(4);
    void limiter.run(alice.task, { key: 'alice' });
    const carolDone = limiter.run(carol.task, { key: 'carol' });
    void limiter.run(aliceWaiting.task, { key: 'alice' });
    void limiter.run(bobWaiting.task, { key: 'bob' });
    carol.resolve('done');
    await carolDone;
    // Alice's second task is older, but alice is at her cap: bob's task takes the slot.
    expect([aliceWaiting.calls, bobWaiting.calls]).toEqual([0, 1]);
  });

  it("starts a capped key's queued task when one of its own tasks finishes", async () => {
    const limiter = createLimiter({ maxConcurrent: 5, maxPerKey: 1 });
    const [running, waiting] = controlledTasks(2);
    const done = limiter.run(running.task, { key: 'alice' });
    void limiter.run(waiting.task, { key: 'alice' });
    running.resolve('done');
    await done;
    expect(waiting.calls).toBe(1);
  });

  it('starts the oldest of the tasks that may start, whatever lies ahead of it', async () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxPerKey: 1 });
    const started: string[] = [];
    const tasks = new Map(
      ['a0', 'b0', 'a1', 'b1', 'c1', 'd1'].map((name) => [name, controlledTask()]),
    );
    const task = (name: string) => {
      const controlled = tasks.get(name);
      if (controlled === undefined) throw new Error(`no task ${name}`);
      return controlled;
    };
    const results = new Map(
      [...tasks.keys()].map((name) => [
        name,
        limiter.run(
          (signal) => {
            started.push(name);
            return task(name).task(signal);
          },
          { key: name[0] },
        ),
      ]),
    );
    const finish = async (name: string) => {
      task(name).resolve(name);
      await results.get(name);
    };
    // a0 and b0 run; a1, b1, c1, d1 wait in that order, and a stays at its cap throughout.
    await finish('b0');
    await finish('b1');
    await finish('c1');
    await finish('a0');
    expect(started).toEqual(['a0', 'b0', 'b1', 'c1', 'd1', 'a1']);
  });

  it("does not let one key's backlog starve the others", async () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxPerKey: 1, maxQueue: 200 });
    const carol = controlledTask();
    const carolDone = limiter.run(carol.task, { key: 'carol' });
    const aliceTasks = controlledTasks(100);
    for (const task of aliceTasks) void limiter.run(task.task, { key: 'alice' });
    const bob = controlledTask();
    void limiter.run(bob.task, { key: 'bob' });
    carol.resolve('done');
    await carolDone;
    // Bob arrived behind 99 waiting tasks of alice, yet takes the slot carol freed.
    expect(bob.calls).toBe(1);
    expect(aliceTasks.filter((task) => task.calls === 1)).toHaveLength(1);
  });

  it('bounds tasks without a key only by maxConcurrent', () => {
    const limiter = createLimiter({ maxConcurrent: 3, maxPerKey: 1 });
    const tasks = controlledTasks(4);
    for (const task of tasks) void limiter.run(task.task);
    expect(tasks.map((task) => task.calls)).toEqual([1, 1, 1, 0]);
  });

  it('does not limit keys when maxPerKey is not set', () => {
    const limiter = createLimiter({ maxConcurrent: 3 });
    const tasks = controlledTasks(3);
    for (const task of tasks) void limiter.run(task.task, { key: 'alice' });
    expect(limiter.stats()).toMatchObject({ running: 3, queued: 0 });
  });

  it('counts a capped key’s waiting task against maxQueue even with free slots', async () => {
    const limiter = createLimiter({ maxConcurrent: 5, maxQueue: 1, maxPerKey: 1 });
    for (const task of controlledTasks(2)) void limiter.run(task.task, { key: 'alice' });
    const error = await rejectionOf(limiter.run(() => 'third', { key: 'alice' }));
    expect(error).toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
    expect(limiter.stats()).toMatchObject({ running: 1, queued: 1 });
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Limiter } from './create-limiter.js';
import { createLimiter } from './create-limiter.js';
import { LimiterError } from './errors.js';
import type { LimiterEventMap, LimiterEventName } from './limiter-events.js';
import { controlledTask, controlledTasks } from './test-helpers/controlled-task.js';
import { manualClock } from './test-helpers/manual-clock.js';
import { rejectionOf } from './test-helpers/rejection-of.js';

/** Every event of one name, in order. */
function record<Name extends LimiterEventName>(limiter: Limiter, name: Name) {
  const events: LimiterEventMap[Name][] = [];
  limiter.on(name, (event) => events.push(event));
  return events;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('limiter events', () => {
  it("emits 'queued' with the key and the counts after queueing", () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const queued = record(limiter, 'queued');
    void limiter.run(controlledTask().task, { key: 'alice' });
    expect(queued).toEqual([]);
    void limiter.run(controlledTask().task, { key: 'bob' });
    expect(queued).toEqual([{ key: 'bob', running: 1, queued: 1 }]);
  });

  it("emits 'started' with the time spent waiting and the counts after starting", async () => {
    const clock = manualClock();
    const limiter = createLimiter({ maxConcurrent: 1, now: clock.now });
    const started = record(limiter, 'started');
    const [first, second] = controlledTasks(2);
    const firstDone = limiter.run(first.task);
    void limiter.run(second.task, { key: 'bob' });
    void limiter.run(controlledTask().task);
    clock.advance(1_500);
    first.resolve('done');
    await firstDone;
    expect(started).toEqual([
      { key: undefined, waitMs: 0, running: 1, queued: 0 },
      { key: 'bob', waitMs: 1_500, running: 1, queued: 1 },
    ]);
  });

  it("emits 'settled' with outcome success, wait and run times, and the counts after the slot frees", async () => {
    const clock = manualClock();
    const limiter = createLimiter({ maxConcurrent: 1, now: clock.now });
    const settled = record(limiter, 'settled');
    const [first, second] = controlledTasks(2);
    const firstDone = limiter.run(first.task);
    const secondDone = limiter.run(second.task, { key: 'bob' });
    clock.advance(200);
    first.resolve('a');
    await firstDone;
    clock.advance(300);
    second.resolve('b');
    await secondDone;
    expect(settled).toEqual([
      { key: undefined, outcome: 'success', waitMs: 0, runMs: 200, running: 0, queued: 1 },
      { key: 'bob', outcome: 'success', waitMs: 200, runMs: 300, running: 0, queued: 0 },
    ]);
  });

  it("emits 'settled' with outcome failure and the error when the task fails", async () => {
    const limiter = createLimiter();
    const settled = record(limiter, 'settled');
    const failure = new Error('export failed');
    await rejectionOf(limiter.run(() => Promise.reject(failure), { key: 'alice' }));
    expect(settled).toEqual([
      expect.objectContaining({ key: 'alice', outcome: 'failure', error: failure }),
    ]);
  });

  it("emits 'rejected' with reason queue_full and the error", async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    const rejected = record(limiter, 'rejected');
    void limiter.run(controlledTask().task);
    const error = await rejectionOf(limiter.run(() => 1, { key: 'alice' }));
    expect(rejected).toEqual([
      { key: 'alice', reason: 'queue_full', waitMs: 0, error, running: 1, queued: 0 },
    ]);
  });

  it("emits 'rejected' with reason closed", async () => {
    const limiter = createLimiter();
    const rejected = record(limiter, 'rejected');
    await limiter.close();
    await rejectionOf(limiter.run(() => 1));
    expect(rejected).toEqual([expect.objectContaining({ reason: 'closed', key: undefined })]);
  });

  it("emits 'rejected' with reason aborted and the time spent waiting", async () => {
    const clock = manualClock();
    const limiter = createLimiter({ maxConcurrent: 1, now: clock.now });
    const rejected = record(limiter, 'rejected');
    void limiter.run(controlledTask().task);
    const controller = new AbortController();
    const result = limiter.run(() => 1, { key: 'bob', signal: controller.signal });
    clock.advance(750);
    controller.abort();
    await rejectionOf(result);
    expect(rejected).toEqual([
      expect.objectContaining({ key: 'bob', reason: 'aborted', waitMs: 750, queued: 0 }),
    ]);
  });

  it("emits 'rejected' with reason queue_timeout", async () => {
    vi.useFakeTimers();
    const limiter = createLimiter({ maxConcurrent: 1, queueTimeoutMs: 100 });
    const rejected = record(limiter, 'rejected');
    void limiter.run(controlledTask().task);
    const rejection = rejectionOf(limiter.run(() => 1));
    vi.advanceTimersByTime(100);
    await rejection;
    expect(rejected).toEqual([expect.objectContaining({ reason: 'queue_timeout', queued: 0 })]);
  });

  it('stops calling a listener after off, or after the function on returned', () => {
    const limiter = createLimiter();
    const offListener = vi.fn();
    const unsubscribedListener = vi.fn();
    limiter.on('started', offListener);
    const unsubscribe = limiter.on('started', unsubscribedListener);
    limiter.off('started', offListener);
    unsubscribe();
    void limiter.run(() => 1);
    expect(offListener).not.toHaveBeenCalled();
    expect(unsubscribedListener).not.toHaveBeenCalled();
  });

  it('rejects an unknown event name with LIMITER_INVALID_ARGUMENT', () => {
    const limiter = createLimiter();
    expect(() => limiter.on('finished' as LimiterEventName, () => {})).toThrowError(
      expect.objectContaining({
        code: 'LIMITER_INVALID_ARGUMENT',
        message: 'unknown event "finished"; expected one of queued, started, settled, rejected',
      }),
    );
  });
});

describe('a limiter listener that throws', () => {
  it('does not break the limiter: the task runs, settles and frees its slot', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const limiter = createLimiter({ maxConcurrent: 1 });
    for (const name of ['queued', 'started', 'settled', 'rejected'] as const) {
      limiter.on(name, () => {
        throw new Error(`${name} listener broke`);
      });
    }
    const first = controlledTask();
    const firstDone = limiter.run(first.task);
    const secondDone = limiter.run(() => 'second');
    first.resolve('first');
    await expect(Promise.all([firstDone, secondDone])).resolves.toEqual(['first', 'second']);
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0, completed: 2 });
  });

  it('does not stop the other listeners', () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const limiter = createLimiter();
    const after = vi.fn();
    limiter.on('started', () => {
      throw new Error('broken');
    });
    limiter.on('started', after);
    void limiter.run(() => 1);
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('becomes a process warning coded LIMITER_LISTENER_FAILED that keeps the error', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const limiter = createLimiter();
    const failure = new Error('metrics registry gone');
    limiter.on('started', () => {
      throw failure;
    });
    void limiter.run(() => 1);
    const warning = emitWarning.mock.calls[0]?.[0];
    expect(warning).toBeInstanceOf(LimiterError);
    expect(warning).toMatchObject({
      code: 'LIMITER_LISTENER_FAILED',
      message: "a 'started' listener threw: metrics registry gone",
      cause: failure,
    });
  });
});

import {
  LimiterAbortError,
  LimiterClosedError,
  LimiterError,
  LimiterQueueTimeoutError,
} from './errors.js';
import { KeyCounts } from './key-counts.js';
import {
  type LimiterEventName,
  LimiterEvents,
  type LimiterListener,
  type LimiterOutcome,
  type LimiterRejectionReason,
} from './limiter-events.js';
import { type CloseOptions, normalizeCloseOptions } from './normalize-close-options.js';
import { type LimiterOptions, normalizeLimiterOptions } from './normalize-limiter-options.js';
import { normalizeRunOptions, type RunOptions } from './normalize-run-options.js';
import { createQueueRefusals } from './queue-refusals.js';
import { createRetryAfterEstimate } from './retry-after.js';
import { TaskQueue } from './task-queue.js';

/** The work to limit. Its signal aborts when the caller's does, or when `close` times out. */
export type LimiterTask<Result> = (signal: AbortSignal) => Result | PromiseLike<Result>;

export interface LimiterStats {
  readonly running: number;
  /** Tasks waiting for a slot; above `maxQueue` while accepted work waits. */
  readonly queued: number;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly maxPerKey: number | undefined;
  readonly maxQueuedPerKey: number | undefined;
  /** Tasks that ran and resolved. */
  readonly completed: number;
  /** Tasks that ran and threw or rejected, aborted ones included. */
  readonly failed: number;
  /** `run` calls whose task never ran: queue full, closed, queue timeout, aborted before start. */
  readonly rejected: number;
}

export interface Limiter {
  /**
   * Runs `task` now, or after the tasks queued before it; settles as the task does. With
   * `accepted`, a full queue never refuses it: it waits, and `queued` may pass `maxQueue`.
   */
  run<Result>(task: LimiterTask<Result>, options?: RunOptions): Promise<Result>;
  stats(): LimiterStats;
  /**
   * The error `run` would refuse a non-accepted task of `key` with right now (`LIMITER_CLOSED`,
   * `LIMITER_KEY_QUEUE_FULL` or `LIMITER_QUEUE_FULL` with its `retryAfterSeconds`), or
   * `undefined` if it would start or
   * queue it. Counts nothing. Call `run` in the same synchronous step for the answer to hold,
   * or call it before costly work (reading an upload) to refuse early.
   */
  refusal(options?: { key?: string }): LimiterError | undefined;
  /**
   * Stops admitting and resolves once running and queued work has finished. After `timeoutMs`,
   * queued tasks are rejected with `LIMITER_CLOSED` and running tasks' signals abort; it still
   * resolves only when those tasks settle. A second call returns the first call's promise.
   */
  close(options?: CloseOptions): Promise<void>;
  /** Adds a listener; returns a function that removes it. */
  on<Name extends LimiterEventName>(name: Name, listener: LimiterListener<Name>): () => void;
  off<Name extends LimiterEventName>(name: Name, listener: LimiterListener<Name>): void;
}

/** One `run` call, from arrival to settling. */
interface Admission {
  readonly task: LimiterTask<unknown>;
  readonly key: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly arrivedAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Undoes what waiting or running set up (a timer, an abort listener), so nothing leaks. */
  cleanup: () => void;
  /** Present while the task runs: aborts the signal the task was given. */
  controller?: AbortController;
}

const nothingToCleanUp = (): void => {};

export function createLimiter(options: LimiterOptions = {}): Limiter {
  const { maxConcurrent, maxQueue, maxPerKey, maxQueuedPerKey, queueTimeoutMs, now } =
    normalizeLimiterOptions(options);
  const events = new LimiterEvents();
  const waiting = new TaskQueue<Admission>();
  const running = new Set<Admission>();
  const runningPerKey = new KeyCounts();
  const retryAfter = createRetryAfterEstimate({ maxConcurrent });
  const refusals = createQueueRefusals({ waiting, retryAfter, maxQueue, maxQueuedPerKey });
  const counts = { completed: 0, failed: 0, rejected: 0 };
  let closing: Promise<void> | undefined;
  let resolveClosing: (() => void) | undefined;

  const elapsedSince = (start: number): number => Math.max(0, now() - start);
  const gauges = () => ({ running: running.size, queued: waiting.size });

  function canStart(key: string | undefined): boolean {
    if (running.size >= maxConcurrent) return false;
    return key === undefined || maxPerKey === undefined || runningPerKey.of(key) < maxPerKey;
  }

  function run<Result>(task: LimiterTask<Result>, runOptions?: RunOptions): Promise<Result> {
    let key: string | undefined;
    let signal: AbortSignal | undefined;
    let accepted: boolean;
    try {
      ({ key, signal, accepted } = normalizeRunOptions(task, runOptions));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<Result>((resolve, reject) => {
      const admission: Admission = {
        task,
        key,
        signal,
        arrivedAt: now(),
        resolve: resolve as (value: unknown) => void,
        reject,
        cleanup: nothingToCleanUp,
      };
      if (closing) return refuse(admission, 'closed', new LimiterClosedError(), 0);
      if (signal?.aborted) {
        return refuse(admission, 'aborted', new LimiterAbortError({ cause: signal.reason }), 0);
      }
      // Safe to jump ahead: after every change the queue holds no task that could start now.
      if (canStart(key)) return start(admission);
      // Accepted work was promised a run: no queue cap refuses it, it waits its turn.
      if (accepted) return enqueue(admission);
      // Asked before the queue as a whole: it is this key's own backlog that must clear first.
      const keyQueueFull = refusals.keyQueueFull(key);
      if (keyQueueFull) return refuse(admission, 'key_queue_full', keyQueueFull, 0);
      const queueFull = refusals.queueFull();
      if (queueFull) return refuse(admission, 'queue_full', queueFull, 0);
      enqueue(admission);
    });
  }

  function refusal(refusalOptions?: { key?: string }): LimiterError | undefined {
    const key = refusalOptions?.key;
    if (key !== undefined && typeof key !== 'string') {
      throw new LimiterError(
        'LIMITER_INVALID_OPTION',
        `option \`key\` must be a string, got ${String(key)}`,
      );
    }
    if (closing) return new LimiterClosedError();
    return canStart(key) ? undefined : (refusals.keyQueueFull(key) ?? refusals.queueFull());
  }

  function enqueue(admission: Admission): void {
    const { signal } = admission;
    const onAbort = () =>
      leaveQueue(admission, 'aborted', new LimiterAbortError({ cause: signal?.reason }));
    const timer =
      queueTimeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              leaveQueue(admission, 'queue_timeout', new LimiterQueueTimeoutError(queueTimeoutMs)),
            queueTimeoutMs,
          );
    // A waiting task must not keep the process alive on its own.
    timer?.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
    admission.cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    waiting.push(admission);
    events.emit('queued', { key: admission.key, ...gauges() });
  }

  function leaveQueue(admission: Admission, reason: LimiterRejectionReason, error: LimiterError) {
    // The abort and the timeout may race; only the first one counts.
    if (!waiting.delete(admission)) return;
    admission.cleanup();
    refuse(admission, reason, error, elapsedSince(admission.arrivedAt));
    resolveClosingWhenIdle();
  }

  function refuse(
    admission: Admission,
    reason: LimiterRejectionReason,
    error: LimiterError,
    waitMs: number,
  ): void {
    counts.rejected += 1;
    events.emit('rejected', { key: admission.key, reason, waitMs, error, ...gauges() });
    admission.reject(error);
  }

  function start(admission: Admission): void {
    admission.cleanup();
    const { key, signal } = admission;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    admission.cleanup = () => signal?.removeEventListener('abort', onAbort);
    admission.controller = controller;
    running.add(admission);
    runningPerKey.add(key);

    const startedAt = now();
    const waitMs = Math.max(0, startedAt - admission.arrivedAt);
    events.emit('started', { key, waitMs, ...gauges() });
    let result: unknown;
    try {
      result = admission.task(controller.signal);
    } catch (error) {
      result = Promise.reject(error);
    }
    // Settling always takes a tick, so a slot never frees in the middle of `dispatch`.
    Promise.resolve(result).then(
      (value) => finish(admission, 'success', value, waitMs, startedAt),
      (error: unknown) => finish(admission, 'failure', error, waitMs, startedAt),
    );
  }

  function finish(
    admission: Admission,
    outcome: LimiterOutcome,
    valueOrError: unknown,
    waitMs: number,
    startedAt: number,
  ): void {
    admission.cleanup();
    running.delete(admission);
    const { key } = admission;
    runningPerKey.remove(key);
    const runMs = elapsedSince(startedAt);
    retryAfter.record(runMs);
    if (outcome === 'success') {
      counts.completed += 1;
      events.emit('settled', { key, outcome, waitMs, runMs, ...gauges() });
      admission.resolve(valueOrError);
    } else {
      counts.failed += 1;
      events.emit('settled', { key, outcome, waitMs, runMs, error: valueOrError, ...gauges() });
      admission.reject(valueOrError);
    }
    dispatch();
    resolveClosingWhenIdle();
  }

  /** Starts the oldest eligible waiting tasks while slots are free. */
  function dispatch(): void {
    while (running.size < maxConcurrent) {
      const next = waiting.takeNext(canStart);
      if (next === undefined) return;
      start(next);
    }
  }

  function close(closeOptions?: CloseOptions): Promise<void> {
    if (closing) return closing;
    let timeoutMs: number | undefined;
    try {
      ({ timeoutMs } = normalizeCloseOptions(closeOptions));
    } catch (error) {
      return Promise.reject(error);
    }
    closing = new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(stopWaiting, timeoutMs);
      timer?.unref();
      resolveClosing = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    resolveClosingWhenIdle();
    return closing;
  }

  /** The close timeout passed: drop the queue and ask running tasks to stop. */
  function stopWaiting(): void {
    for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) {
      next.cleanup();
      const error = new LimiterClosedError('the limiter closed before the task started');
      refuse(next, 'closed', error, elapsedSince(next.arrivedAt));
    }
    const reason = new LimiterClosedError('the limiter closed before the task finished');
    for (const admission of [...running]) admission.controller?.abort(reason);
    resolveClosingWhenIdle();
  }

  function resolveClosingWhenIdle(): void {
    if (resolveClosing === undefined || running.size > 0 || waiting.size > 0) return;
    const resolve = resolveClosing;
    resolveClosing = undefined;
    resolve();
  }

  return {
    run,
    stats: () => ({
      ...gauges(),
      maxConcurrent,
      maxQueue,
      maxPerKey,
      maxQueuedPerKey,
      ...counts,
    }),
    refusal,
    close,
    on: (name, listener) => events.on(name, listener),
    off: (name, listener) => events.off(name, listener),
  };
}

/** Every code a `LimiterError` can carry; documented in the package README. */
export const limiterErrorCodes = [
  'LIMITER_INVALID_OPTION',
  'LIMITER_INVALID_ARGUMENT',
  'LIMITER_QUEUE_FULL',
  'LIMITER_KEY_QUEUE_FULL',
  'LIMITER_QUEUE_TIMEOUT',
  'LIMITER_CLOSED',
  'LIMITER_ABORTED',
  'LIMITER_LISTENER_FAILED',
] as const;

export type LimiterErrorCode = (typeof limiterErrorCodes)[number];

export class LimiterError extends Error {
  override readonly name: string = 'LimiterError';
  readonly code: LimiterErrorCode;

  constructor(code: LimiterErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }
}

export interface LimiterQueueFullErrorDetails {
  /** Tasks waiting when this one was refused; above `maxQueue` while accepted work waits. */
  queued: number;
  maxQueue: number;
  /** Whole seconds after which a retry is likely to be admitted, from 1 to 3600. */
  retryAfterSeconds: number;
}

/** The queue had no room: the caller should retry later (an HTTP service answers 429). */
export class LimiterQueueFullError extends LimiterError {
  override readonly name = 'LimiterQueueFullError';
  readonly queued: number;
  readonly maxQueue: number;
  readonly retryAfterSeconds: number;

  constructor(details: LimiterQueueFullErrorDetails) {
    super('LIMITER_QUEUE_FULL', queueFullMessage(details));
    this.queued = details.queued;
    this.maxQueue = details.maxQueue;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

function queueFullMessage({ queued, maxQueue, retryAfterSeconds }: LimiterQueueFullErrorDetails) {
  const retry = `retry in ${retryAfterSeconds} s`;
  return maxQueue === 0
    ? `every slot is busy and queueing is off; ${retry}`
    : `the queue is full (${queued} waiting, maxQueue ${maxQueue}); ${retry}`;
}

export interface LimiterKeyQueueFullErrorDetails {
  /** Tasks of the refused task's key waiting when it was refused; above the cap while accepted work waits. */
  queuedForKey: number;
  maxQueuedPerKey: number;
  /** Whole seconds after which a retry is likely to be admitted, from 1 to 3600. */
  retryAfterSeconds: number;
}

/**
 * The task's key had `maxQueuedPerKey` tasks waiting already: the queue may have room, but not
 * for this key, so one caller's backlog cannot fill it (an HTTP service answers 429).
 */
export class LimiterKeyQueueFullError extends LimiterError {
  override readonly name = 'LimiterKeyQueueFullError';
  readonly queuedForKey: number;
  readonly maxQueuedPerKey: number;
  readonly retryAfterSeconds: number;

  constructor(details: LimiterKeyQueueFullErrorDetails) {
    super('LIMITER_KEY_QUEUE_FULL', keyQueueFullMessage(details));
    this.queuedForKey = details.queuedForKey;
    this.maxQueuedPerKey = details.maxQueuedPerKey;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

function keyQueueFullMessage({
  queuedForKey,
  maxQueuedPerKey,
  retryAfterSeconds,
}: LimiterKeyQueueFullErrorDetails) {
  const retry = `retry in ${retryAfterSeconds} s`;
  if (maxQueuedPerKey === 0) {
    return `every slot this key may use is busy and it may not queue; ${retry}`;
  }
  const tasks = queuedForKey === 1 ? '1 task' : `${queuedForKey} tasks`;
  // The cap is named, not implied: accepted work may have queued the key past it.
  return `${tasks} of this key already waiting (maxQueuedPerKey ${maxQueuedPerKey}); ${retry}`;
}

/** A task waited longer than `queueTimeoutMs` for a slot and never ran. */
export class LimiterQueueTimeoutError extends LimiterError {
  override readonly name = 'LimiterQueueTimeoutError';
  readonly queueTimeoutMs: number;

  constructor(queueTimeoutMs: number) {
    super('LIMITER_QUEUE_TIMEOUT', `the task waited ${queueTimeoutMs} ms for a slot and gave up`);
    this.queueTimeoutMs = queueTimeoutMs;
  }
}

/** The limiter is closing: a new task is refused, or a waiting one is dropped after the close timeout. */
export class LimiterClosedError extends LimiterError {
  override readonly name = 'LimiterClosedError';

  constructor(message = 'the limiter is closed') {
    super('LIMITER_CLOSED', message);
  }
}

/** A task stopped by its caller's AbortSignal before it started: `name` is `AbortError`, as with fetch. */
export class LimiterAbortError extends LimiterError {
  override readonly name = 'AbortError';

  constructor(options: { cause?: unknown } = {}) {
    super('LIMITER_ABORTED', 'the task was aborted before it started', options);
  }
}

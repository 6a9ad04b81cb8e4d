import { LimiterKeyQueueFullError, LimiterQueueFullError } from './errors.js';
import type { RetryAfterEstimate } from './retry-after.js';

export interface QueueRefusalsOptions {
  /** The limiter's `TaskQueue`: only its counts are read. */
  readonly waiting: { readonly size: number; sizeOf(key: string | undefined): number };
  readonly retryAfter: RetryAfterEstimate;
  readonly maxQueue: number;
  readonly maxQueuedPerKey: number | undefined;
}

/** The errors a task that cannot start is refused with when the queue, or its key's, is full. */
export interface QueueRefusals {
  /** A `LimiterQueueFullError` once `maxQueue` tasks wait (or more, accepted ones included). */
  queueFull(): LimiterQueueFullError | undefined;
  /** A `LimiterKeyQueueFullError` once `maxQueuedPerKey` tasks of `key` wait. */
  keyQueueFull(key: string | undefined): LimiterKeyQueueFullError | undefined;
}

export function createQueueRefusals(options: QueueRefusalsOptions): QueueRefusals {
  const { waiting, retryAfter, maxQueue, maxQueuedPerKey } = options;
  return {
    queueFull() {
      const queued = waiting.size;
      if (queued < maxQueue) return undefined;
      const retryAfterSeconds = retryAfter.retryAfterSeconds(queued);
      return new LimiterQueueFullError({ queued, maxQueue, retryAfterSeconds });
    },
    keyQueueFull(key) {
      if (key === undefined || maxQueuedPerKey === undefined) return undefined;
      const queuedForKey = waiting.sizeOf(key);
      if (queuedForKey < maxQueuedPerKey) return undefined;
      // The queue ahead moves at the pace the whole-queue estimate assumes.
      const retryAfterSeconds = retryAfter.retryAfterSeconds(waiting.size);
      return new LimiterKeyQueueFullError({ queuedForKey, maxQueuedPerKey, retryAfterSeconds });
    },
  };
}

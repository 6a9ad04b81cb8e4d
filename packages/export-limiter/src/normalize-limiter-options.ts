import { LimiterError } from './errors.js';

/** What a caller passes to the limiter. */
export interface LimiterOptions {
  /** Tasks that may run at once. Default 5. */
  maxConcurrent?: number;
  /** Tasks that may wait for a slot; one more is rejected. Default 100; 0 disables queueing. */
  maxQueue?: number;
  /** Tasks of one key that may run at once. Default: no per-key cap. */
  maxPerKey?: number;
  /**
   * Tasks of one key that may wait for a slot; one more is refused even when the queue has
   * room. Default: no per-key cap (only `maxQueue`); 0: a key's task that cannot start is refused.
   */
  maxQueuedPerKey?: number;
  /** How long a task may wait for a slot. Default: no limit. */
  queueTimeoutMs?: number;
  /** The clock for wait and run durations, in milliseconds. Default `performance.now()`. */
  now?: () => number;
}

/** What the limiter uses: every option resolved and checked. */
export interface NormalizedLimiterOptions {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly maxPerKey: number | undefined;
  readonly maxQueuedPerKey: number | undefined;
  readonly queueTimeoutMs: number | undefined;
  readonly now: () => number;
}

export const limiterDefaults = Object.freeze({ maxConcurrent: 5, maxQueue: 100 });

export function normalizeLimiterOptions(options: LimiterOptions = {}): NormalizedLimiterOptions {
  if (options === null || typeof options !== 'object') {
    throw invalidOption(`options must be an object, got ${String(options)}`);
  }
  return Object.freeze({
    maxConcurrent: integerAtLeast(
      'maxConcurrent',
      options.maxConcurrent ?? limiterDefaults.maxConcurrent,
      1,
    ),
    maxQueue: integerAtLeast('maxQueue', options.maxQueue ?? limiterDefaults.maxQueue, 0),
    maxPerKey:
      options.maxPerKey === undefined
        ? undefined
        : integerAtLeast('maxPerKey', options.maxPerKey, 1),
    maxQueuedPerKey:
      options.maxQueuedPerKey === undefined
        ? undefined
        : integerAtLeast('maxQueuedPerKey', options.maxQueuedPerKey, 0),
    queueTimeoutMs:
      options.queueTimeoutMs === undefined
        ? undefined
        : integerAtLeast('queueTimeoutMs', options.queueTimeoutMs, 1),
    now: clock(options.now),
  });
}

// Read `performance` at each call, so fake timers installed after creation still apply.
const performanceNow = (): number => performance.now();

function clock(value: unknown): () => number {
  if (value === undefined) return performanceNow;
  if (typeof value !== 'function') {
    throw invalidOption(`option \`now\` must be a function, got ${received(value)}`);
  }
  return value as () => number;
}

function received(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function integerAtLeast(name: keyof LimiterOptions, value: unknown, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw invalidOption(
      `option \`${name}\` must be an integer >= ${minimum}, got ${received(value)}`,
    );
  }
  return value;
}

function invalidOption(message: string): LimiterError {
  return new LimiterError('LIMITER_INVALID_OPTION', message);
}

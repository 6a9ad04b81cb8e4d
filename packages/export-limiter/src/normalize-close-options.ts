import { LimiterError } from './errors.js';

/** What a caller passes to `close`. */
export interface CloseOptions {
  /**
   * How long to let running and queued work finish. When it passes, queued tasks are rejected
   * with `LIMITER_CLOSED` and running tasks' signals abort. Default: wait as long as it takes.
   */
  timeoutMs?: number;
}

export interface NormalizedCloseOptions {
  readonly timeoutMs: number | undefined;
}

/** Checks the options of `close`; throws `LIMITER_INVALID_OPTION` naming the bad one. */
export function normalizeCloseOptions(options: CloseOptions = {}): NormalizedCloseOptions {
  if (options === null || typeof options !== 'object') {
    throw invalidOption(`close options must be an object, got ${String(options)}`);
  }
  const { timeoutMs } = options;
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs < 0)
  ) {
    const received = typeof timeoutMs === 'string' ? JSON.stringify(timeoutMs) : String(timeoutMs);
    throw invalidOption(`option \`timeoutMs\` must be an integer >= 0, got ${received}`);
  }
  return { timeoutMs };
}

function invalidOption(message: string): LimiterError {
  return new LimiterError('LIMITER_INVALID_OPTION', message);
}

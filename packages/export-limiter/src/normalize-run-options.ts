import { LimiterError } from './errors.js';

/** What a caller passes with each task. */
export interface RunOptions {
  /** Aborts the task: it leaves the queue at once, or its own signal aborts while it runs. */
  signal?: AbortSignal;
  /** Whose task it is (a user, a tenant): at most `maxPerKey` tasks of one key run at once. */
  key?: string;
  /**
   * Work the caller has already accepted (a stored job recovered at boot, a job handed over by a
   * cluster): never refused for a full queue or key queue, it waits however full they are.
   * Default false.
   */
  accepted?: boolean;
}

export interface NormalizedRunOptions {
  readonly signal: AbortSignal | undefined;
  readonly key: string | undefined;
  readonly accepted: boolean;
}

/** Checks the arguments of `run`; throws a coded `LimiterError` that names the bad one. */
export function normalizeRunOptions(task: unknown, options: RunOptions = {}): NormalizedRunOptions {
  if (typeof task !== 'function') {
    throw new LimiterError(
      'LIMITER_INVALID_ARGUMENT',
      `argument \`task\` must be a function, got ${received(task)}`,
    );
  }
  if (options === null || typeof options !== 'object') {
    throw invalidOption(`run options must be an object, got ${received(options)}`);
  }
  const { signal, key, accepted = false } = options;
  if (key !== undefined && typeof key !== 'string') {
    throw invalidOption(`option \`key\` must be a string, got ${received(key)}`);
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw invalidOption(`option \`signal\` must be an AbortSignal, got ${received(signal)}`);
  }
  if (typeof accepted !== 'boolean') {
    throw invalidOption(`option \`accepted\` must be a boolean, got ${received(accepted)}`);
  }
  return { signal, key, accepted };
}

// Duck-typed, so a signal from another realm or polyfill still works.
function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function' &&
    typeof (value as AbortSignal).removeEventListener === 'function'
  );
}

function received(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function invalidOption(message: string): LimiterError {
  return new LimiterError('LIMITER_INVALID_OPTION', message);
}

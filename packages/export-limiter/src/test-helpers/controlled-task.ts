import type { LimiterTask } from '../create-limiter.js';

/** A task the test finishes by hand, and that records how it was called. */
export interface ControlledTask<Result = string> {
  readonly task: LimiterTask<Result>;
  /** How many times the limiter called the task. */
  readonly calls: number;
  /** The signal of the last call, if any. */
  readonly signal: AbortSignal | undefined;
  resolve(value: Result): void;
  reject(error: unknown): void;
}

export function controlledTask<Result = string>(): ControlledTask<Result> {
  let calls = 0;
  let signal: AbortSignal | undefined;
  const notStarted = () => {
    throw new Error('the task has not started');
  };
  let resolve: (value: Result) => void = notStarted;
  let reject: (error: unknown) => void = notStarted;
  return {
    task: (given) => {
      calls += 1;
      signal = given;
      return new Promise<Result>((onResolve, onReject) => {
        resolve = onResolve;
        reject = onReject;
      });
    },
    get calls() {
      return calls;
    },
    get signal() {
      return signal;
    },
    resolve: (value) => resolve(value),
    reject: (error) => reject(error),
  };
}

/** A tuple of `Length` items, so destructuring a literal count needs no undefined checks. */
type Tuple<Item, Length extends number, Built extends Item[] = []> = number extends Length
  ? Item[]
  : Built['length'] extends Length
    ? Built
    : Tuple<Item, Length, [...Built, Item]>;

/** Many controlled tasks at once. */
export function controlledTasks<Length extends number>(
  count: Length,
): Tuple<ControlledTask, Length> {
  return Array.from({ length: count }, () => controlledTask()) as Tuple<ControlledTask, Length>;
}

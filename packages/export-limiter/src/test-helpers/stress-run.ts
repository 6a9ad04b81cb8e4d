import { vi } from 'vitest';
import { createLimiter, type Limiter, type LimiterTask } from '../create-limiter.js';
import { LimiterError, type LimiterErrorCode } from '../errors.js';
import type { LimiterEventBase, LimiterRejectionReason } from '../limiter-events.js';
import type { SeededRandom } from './seeded-random.js';

// Taken before fake timers are installed: one real turn of the event loop drains every microtask.
const realSetImmediate = setImmediate;
export const drainMicrotasks = () => new Promise((resolve) => realSetImmediate(resolve));

export interface StressLimits {
  maxConcurrent: number;
  maxQueue: number;
  maxPerKey: number;
  maxQueuedPerKey: number;
  queueTimeoutMs: number;
}

// Weighted by repetition: mostly tasks that take time, some that fail or return at once.
const behaviours = [
  ...Array<'resolve-later'>(12).fill('resolve-later'),
  ...Array<'reject-later'>(3).fill('reject-later'),
  ...Array<'value'>(3).fill('value'),
  ...Array<'throw'>(2).fill('throw'),
] as const;
type Behaviour = (typeof behaviours)[number];

/** What the test knows about one `run` call. */
export interface Probe {
  readonly key: string | undefined;
  /** Submitted once `close` had started: it must be refused as closed, whatever else. */
  readonly afterClose: boolean;
  abortedBeforeCall: boolean;
  abortedWhileRunning: boolean;
  calls: number;
  settlements: number;
  /** What the task itself produced, if it ran: the run promise must settle with exactly that. */
  produced?: { value: number } | { error: unknown };
  result?: { value: unknown } | { error: unknown };
}

export const refusalCodes: Record<LimiterRejectionReason, LimiterErrorCode> = {
  queue_full: 'LIMITER_QUEUE_FULL',
  key_queue_full: 'LIMITER_KEY_QUEUE_FULL',
  closed: 'LIMITER_CLOSED',
  queue_timeout: 'LIMITER_QUEUE_TIMEOUT',
  aborted: 'LIMITER_ABORTED',
};

/** Drives one limiter through a random workload and checks it at every step. */
export class StressRun {
  readonly limiter: Limiter;
  readonly probes: Probe[] = [];
  readonly violations: string[] = [];
  readonly inTask = { total: 0, perKey: new Map<string, number>() };
  readonly startedPerKey = new Map<string, number>();
  readonly eventCounts = { started: 0, settled: 0, rejected: 0 };
  readonly rejectedByReason = new Map<LimiterRejectionReason, number>();
  closing = false;

  constructor(
    readonly limits: StressLimits,
    readonly keys: readonly string[],
    readonly random: SeededRandom,
  ) {
    // The faked Date is the clock, so wait times follow the fake timers.
    this.limiter = createLimiter({ ...limits, now: () => Date.now() });
    this.limiter.on('queued', (event) => this.checkEvent('queued', event));
    this.limiter.on('started', (event) => {
      this.eventCounts.started += 1;
      if (event.key !== undefined) this.countKey(this.startedPerKey, event.key, 1, 'started');
      if (event.waitMs > this.limits.queueTimeoutMs) {
        this.violate(`a task started after waiting ${event.waitMs} ms`);
      }
      this.checkEvent('started', event);
    });
    this.limiter.on('settled', (event) => {
      this.eventCounts.settled += 1;
      if (event.key !== undefined) this.countKey(this.startedPerKey, event.key, -1, 'settled');
      this.checkEvent('settled', event);
    });
    this.limiter.on('rejected', (event) => {
      this.eventCounts.rejected += 1;
      this.rejectedByReason.set(event.reason, (this.rejectedByReason.get(event.reason) ?? 0) + 1);
      if (event.error.code !== refusalCodes[event.reason]) {
        this.violate(`reason ${event.reason} came with ${event.error.code}`);
      }
      this.checkEvent('rejected', event);
    });
  }

  violate(message: string): void {
    // Collected, not thrown: the limiter turns a listener's throw into a warning, by design.
    if (this.violations.length < 20) this.violations.push(message);
  }

  checkStats(where: string): void {
    const { running, queued } = this.limiter.stats();
    if (running < 0 || running > this.limits.maxConcurrent)
      this.violate(`${where}: running ${running}`);
    if (queued < 0 || queued > this.limits.maxQueue) this.violate(`${where}: queued ${queued}`);
  }

  checkEvent(name: string, event: LimiterEventBase): void {
    const { running, queued } = this.limiter.stats();
    if (event.running !== running || event.queued !== queued) {
      this.violate(
        `${name} event says ${event.running}/${event.queued}, stats ${running}/${queued}`,
      );
    }
    this.checkStats(`${name} event`);
  }

  countKey(counts: Map<string, number>, key: string, change: number, where: string): void {
    const count = (counts.get(key) ?? 0) + change;
    counts.set(key, count);
    if (count < 0 || count > this.limits.maxPerKey) this.violate(`${where}: ${count} of ${key}`);
  }

  submit(): void {
    const random = this.random;
    const key = random.chance(0.2) ? undefined : random.pick(this.keys);
    const probe: Probe = {
      key,
      afterClose: this.closing,
      abortedBeforeCall: false,
      abortedWhileRunning: false,
      calls: 0,
      settlements: 0,
    };
    this.probes.push(probe);
    let signal: AbortSignal | undefined;
    const abortPlan = random.next();
    if (abortPlan < 0.03) {
      probe.abortedBeforeCall = true;
      signal = AbortSignal.abort(new Error('aborted before the call'));
    } else if (abortPlan < 0.2) {
      // Lands while the task waits, while it runs, or after it settled: whichever comes.
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('aborted later')), random.int(0, 12));
      signal = controller.signal;
    }
    const task = this.task(probe, random.pick(behaviours), random.int(0, 3), random.chance(0.5));
    this.limiter.run(task, { key, signal }).then(
      (value) => {
        probe.settlements += 1;
        probe.result = { value };
      },
      (error: unknown) => {
        probe.settlements += 1;
        probe.result = { error };
      },
    );
  }

  task(
    probe: Probe,
    behaviour: Behaviour,
    durationMs: number,
    honoursAbort: boolean,
  ): LimiterTask<number> {
    const id = this.probes.length - 1;
    return (signal) => {
      probe.calls += 1;
      if (probe.calls > 1) this.violate(`task ${id} ran ${probe.calls} times`);
      if (signal.aborted) this.violate(`task ${id} started with an aborted signal`);
      this.enterTask(probe.key, 1);
      // A few tasks submit more work from inside a running task: admission must stay sound.
      if (this.random.chance(0.02)) this.submit();
      const leave = () => this.enterTask(probe.key, -1);
      if (behaviour === 'value') {
        leave();
        probe.produced = { value: id };
        return id;
      }
      if (behaviour === 'throw') {
        leave();
        const error = new Error(`task ${id} threw`);
        probe.produced = { error };
        throw error;
      }
      return new Promise<number>((resolve, reject) => {
        const onAbort = () => {
          probe.abortedWhileRunning = true;
          if (!honoursAbort) return;
          clearTimeout(timer);
          leave();
          probe.produced = { error: signal.reason };
          reject(signal.reason);
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          leave();
          if (behaviour === 'resolve-later') {
            probe.produced = { value: id };
            resolve(id);
          } else {
            const error = new Error(`task ${id} rejected`);
            probe.produced = { error };
            reject(error);
          }
        }, durationMs);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    };
  }

  enterTask(key: string | undefined, change: number): void {
    this.inTask.total += change;
    if (this.inTask.total > this.limits.maxConcurrent)
      this.violate(`${this.inTask.total} in tasks`);
    if (key !== undefined) this.countKey(this.inTask.perKey, key, change, 'in task');
    this.checkStats('task');
  }

  async step(): Promise<void> {
    vi.advanceTimersByTime(1);
    await drainMicrotasks();
    this.checkStats('step');
  }

  /** Settles the books once everything is done: each run call counted by how it ended. */
  account() {
    const tally = { completed: 0, failed: 0, rejected: 0 };
    const refusedByCode = new Map<LimiterErrorCode, number>();
    for (const [id, probe] of this.probes.entries()) {
      if (probe.settlements !== 1) this.violate(`run ${id} settled ${probe.settlements} times`);
      const result = probe.result;
      if (result === undefined) continue;
      if (probe.calls === 0) {
        const error = 'error' in result ? result.error : undefined;
        if (!(error instanceof LimiterError)) {
          this.violate(`run ${id} never ran yet did not reject with a LimiterError`);
          continue;
        }
        const expectedCode = probe.afterClose
          ? 'LIMITER_CLOSED'
          : probe.abortedBeforeCall
            ? 'LIMITER_ABORTED'
            : undefined;
        if (expectedCode !== undefined && error.code !== expectedCode) {
          this.violate(`run ${id} rejected with ${error.code}, not ${expectedCode}`);
        }
        tally.rejected += 1;
        refusedByCode.set(error.code, (refusedByCode.get(error.code) ?? 0) + 1);
      } else {
        if (!matches(result, probe.produced)) this.violate(`run ${id} settled unlike its task`);
        if ('value' in result) tally.completed += 1;
        else tally.failed += 1;
      }
    }
    return { tally, refusedByCode };
  }
}

function matches(
  result: { value: unknown } | { error: unknown },
  produced: Probe['produced'],
): boolean {
  if (produced === undefined) return false;
  if ('value' in result) return 'value' in produced && result.value === produced.value;
  return 'error' in produced && result.error === produced.error;
}

import { LimiterError } from './errors.js';

/** Why a `run` call never started its task. */
export type LimiterRejectionReason =
  | 'queue_full'
  | 'key_queue_full'
  | 'closed'
  | 'queue_timeout'
  | 'aborted';

/** How a task that ran ended: its promise resolved, or it threw or rejected. */
export type LimiterOutcome = 'success' | 'failure';

/** What every event carries: whose task it is, and the gauges just after the change. */
export interface LimiterEventBase {
  /** The task's key, if `run` was given one. */
  readonly key: string | undefined;
  /** Tasks running after this change. */
  readonly running: number;
  /** Tasks waiting after this change. */
  readonly queued: number;
}

/** A task had to wait for a slot. */
export type LimiterQueuedEvent = LimiterEventBase;

/** A task got a slot and was called. */
export interface LimiterStartedEvent extends LimiterEventBase {
  /** Time spent in the queue; 0 for a task that started at once. */
  readonly waitMs: number;
}

/** A task that ran has settled and given its slot back. */
export interface LimiterSettledEvent extends LimiterEventBase {
  readonly outcome: LimiterOutcome;
  readonly waitMs: number;
  /** Time between the call of the task and the settling of its promise. */
  readonly runMs: number;
  /** What the task threw or rejected with, when `outcome` is `failure`. */
  readonly error?: unknown;
}

/** A `run` call was refused, or its task left the queue without running. */
export interface LimiterRejectedEvent extends LimiterEventBase {
  readonly reason: LimiterRejectionReason;
  /** Time spent in the queue before leaving it; 0 when refused on arrival. */
  readonly waitMs: number;
  /** The error the `run` promise rejected with. */
  readonly error: LimiterError;
}

export interface LimiterEventMap {
  queued: LimiterQueuedEvent;
  started: LimiterStartedEvent;
  settled: LimiterSettledEvent;
  rejected: LimiterRejectedEvent;
}

export type LimiterEventName = keyof LimiterEventMap;

export type LimiterListener<Name extends LimiterEventName> = (event: LimiterEventMap[Name]) => void;

export const limiterEventNames: readonly LimiterEventName[] = Object.freeze([
  'queued',
  'started',
  'settled',
  'rejected',
]);

type ListenerSets = { [Name in LimiterEventName]: Set<LimiterListener<Name>> };

/**
 * A small typed listener set. Unlike `EventEmitter`, a listener that throws cannot reach the
 * limiter: its error becomes a process warning (code `LIMITER_LISTENER_FAILED`) and the other
 * listeners still run.
 */
export class LimiterEvents {
  readonly #listeners: ListenerSets = {
    queued: new Set(),
    started: new Set(),
    settled: new Set(),
    rejected: new Set(),
  };

  /** Adds a listener; returns a function that removes it. */
  on<Name extends LimiterEventName>(name: Name, listener: LimiterListener<Name>): () => void {
    this.#listenersOf(name).add(checkListener(listener));
    return () => this.off(name, listener);
  }

  off<Name extends LimiterEventName>(name: Name, listener: LimiterListener<Name>): void {
    this.#listenersOf(name).delete(listener);
  }

  emit<Name extends LimiterEventName>(name: Name, event: LimiterEventMap[Name]): void {
    const listeners = this.#listeners[name] as Set<LimiterListener<Name>>;
    if (listeners.size === 0) return;
    // A copy, so a listener that adds or removes listeners does not change this round.
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        reportListenerFailure(name, error);
      }
    }
  }

  #listenersOf<Name extends LimiterEventName>(name: Name): Set<LimiterListener<Name>> {
    if (!limiterEventNames.includes(name)) {
      throw new LimiterError(
        'LIMITER_INVALID_ARGUMENT',
        `unknown event ${JSON.stringify(name)}; expected one of ${limiterEventNames.join(', ')}`,
      );
    }
    return this.#listeners[name] as Set<LimiterListener<Name>>;
  }
}

function checkListener<Listener>(listener: Listener): Listener {
  if (typeof listener !== 'function') {
    throw new LimiterError(
      'LIMITER_INVALID_ARGUMENT',
      `a listener must be a function, got ${String(listener)}`,
    );
  }
  return listener;
}

function reportListenerFailure(name: LimiterEventName, cause: unknown): void {
  const message = cause instanceof Error ? cause.message : String(cause);
  process.emitWarning(
    new LimiterError('LIMITER_LISTENER_FAILED', `a '${name}' listener threw: ${message}`, {
      cause,
    }),
  );
}

import { setTimeout as sleep } from 'node:timers/promises';
import { estimateRetryAfterSeconds, LimiterAbortError } from '@org/export-limiter';
import type { Redis } from 'ioredis';
import { ClusterUnavailableError } from '../errors.js';
import type { SharedSlots } from '../exports/execute-export.js';
import type { ClusterKeys } from './cluster-keys.js';
import { ClusterQueueFullError } from './cluster-queue-full-error.js';
import type { ClusterScripts } from './cluster-scripts.js';

export interface ClusterSlotsOptions {
  redis: Redis;
  keys: ClusterKeys;
  scripts: ClusterScripts;
  /** EXPORT_CLUSTER_MAX_CONCURRENT: exports running at once across every replica. */
  maxConcurrent: number;
  /** EXPORT_CLUSTER_MAX_QUEUE: exports waiting at once across every replica. */
  maxQueue: number;
  /** How long a slot or ticket outlives its holder's last renewal: a killed replica's lapse. */
  leaseMs: number;
  /** How often a waiter asks again for a slot. Default 100 ms, with jitter. */
  pollMs?: number;
  /** Prefixes every holder, so two replicas' export ids never meet. */
  replicaId: string;
  onLeaseError?: (error: unknown) => void;
}

/** The whole cluster's exports, in the limiter's words (and the metrics' sample's). */
export interface ClusterState {
  running: number;
  queued: number;
  maxConcurrent: number;
  maxQueue: number;
}

export interface ClusterSlots extends SharedSlots {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  /**
   * Holds a place for a job in the cluster queue, or rejects with LIMITER_QUEUE_FULL (429) and a
   * Retry-After from the cluster's depth and recent durations. Call `settle` once the job is in
   * BullMQ's wait list (or was not added after all).
   */
  admit(id: string): Promise<{ settle: () => Promise<void> }>;
  /** The refusal `admit` would give now, without holding anything: to refuse before an upload. */
  refusal(): Promise<ClusterQueueFullError | undefined>;
  state(): Promise<ClusterState>;
  /** Stops renewing leases; held slots lapse unless released. */
  close(): void;
}

const recentDurations = 50;
// An admission is held from the atomic check until BullMQ has the job: a few round trips.
const admissionHoldMs = 30_000;

/**
 * The cluster-wide cap on running exports and on waiting ones, in Redis (cluster-scripts.ts).
 * BullMQ's global concurrency caps the jobs a worker may take; these slots also count the
 * /export/run and /export/stream requests, which BullMQ never sees.
 */
export function createClusterSlots(options: ClusterSlotsOptions): ClusterSlots {
  const { redis, keys, scripts, maxConcurrent, maxQueue, leaseMs, replicaId } = options;
  const pollMs = options.pollMs ?? 100;
  const held = new Set<string>();
  const renewal = setInterval(
    () => {
      scripts.renewLeases(leaseMs, [...held]).catch((error: unknown) => {
        options.onLeaseError?.(error);
      });
    },
    Math.max(250, Math.floor(leaseMs / 3)),
  );
  renewal.unref();

  async function meanRunMs(): Promise<number | undefined> {
    const durations = (await redis.lrange(keys.durations, 0, recentDurations - 1)).map(Number);
    if (durations.length === 0) return undefined;
    return durations.reduce((sum, ms) => sum + ms, 0) / durations.length;
  }

  async function queueFull(queued: number): Promise<ClusterQueueFullError> {
    const meanMs = await meanRunMs();
    // The limiter's formula, over the cluster's slots and its recent durations.
    const retryAfterSeconds = estimateRetryAfterSeconds({
      queued,
      maxConcurrent,
      meanRunMs: meanMs,
    });
    return new ClusterQueueFullError({ queued, maxQueue, retryAfterSeconds });
  }

  async function recordDuration(ms: number): Promise<void> {
    await redis
      .multi()
      .lpush(keys.durations, Math.round(ms))
      .ltrim(keys.durations, 0, recentDurations - 1)
      .exec();
  }

  return {
    maxConcurrent,
    maxQueue,

    async acquire({ holder: exportId, signal, accepted }) {
      const holder = `${replicaId}:${exportId}`;
      held.add(holder);
      try {
        for (;;) {
          signal.throwIfAborted();
          const { answer, queued } = await scripts.acquireSlot(
            holder,
            leaseMs,
            maxConcurrent,
            maxQueue,
            accepted,
          );
          if (answer === 'held') break;
          if (answer === 'refused') throw await queueFull(queued);
          await sleep(pollMs / 2 + Math.random() * pollMs, undefined, { signal });
        }
      } catch (error) {
        held.delete(holder);
        await scripts.releaseSlot(holder).catch(() => {});
        if (signal.aborted) throw new LimiterAbortError({ cause: signal.reason });
        if (error instanceof ClusterQueueFullError) throw error;
        // Redis unreachable: without its slots the cap cannot hold, so nothing starts.
        throw Object.assign(new ClusterUnavailableError((error as Error).message), {
          cause: error,
        });
      }
      const startedAt = performance.now();
      return async () => {
        held.delete(holder);
        try {
          await scripts.releaseSlot(holder);
          await recordDuration(performance.now() - startedAt);
        } catch (error) {
          // Unreleased, the slot lapses with its lease: the cap is only held low a while.
          options.onLeaseError?.(error);
        }
      };
    },

    async admit(id) {
      const { admitted, queued } = await scripts.admitJob(
        id,
        admissionHoldMs,
        maxConcurrent,
        maxQueue,
      );
      if (!admitted) throw await queueFull(queued);
      return { settle: () => scripts.settleAdmission(id) };
    },

    async refusal() {
      const { queued, running } = await scripts.state();
      // As the admission script counts: a job about to start waits in BullMQ's list too.
      const room = maxQueue === 0 && running < maxConcurrent ? 1 : maxQueue;
      return queued >= room ? queueFull(queued) : undefined;
    },

    async state() {
      const { queued, running } = await scripts.state();
      return { running, queued, maxConcurrent, maxQueue };
    },

    close() {
      clearInterval(renewal);
    },
  };
}

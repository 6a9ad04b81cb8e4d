import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { type ClusterJobRecords, clusterJobRecords } from './cluster-job-records.js';
import { type ClusterKeys, clusterKeysOf } from './cluster-keys.js';
import { clusterScriptsOn } from './cluster-scripts.js';
import { type ClusterSlots, createClusterSlots } from './cluster-slots.js';
import { connectRedis } from './connect-redis.js';
import type { ClusterJobData } from './process-cluster-job.js';

export interface ClusterOptions {
  /** REDIS_URL. */
  redisUrl: string;
  /** EXPORT_QUEUE_NAME: replicas with the same Redis and name form one cluster. */
  queueName: string;
  /** EXPORT_CLUSTER_MAX_CONCURRENT. */
  maxConcurrent: number;
  /** EXPORT_CLUSTER_MAX_QUEUE. */
  maxQueue: number;
  /** EXPORT_CLUSTER_LOCK_S, in ms: how long a dead replica's jobs and slots stay held. */
  lockMs: number;
}

/** This replica's handles on the cluster. */
export interface ClusterHandles {
  redis: Redis;
  /** The BullMQ queue every replica adds to; its connection options make this replica's worker. */
  queue: Queue<ClusterJobData>;
  keys: ClusterKeys;
  records: ClusterJobRecords;
  slots: ClusterSlots;
  /** How long a replica's hold on a job lasts without renewal (BullMQ's lock). */
  lockMs: number;
}

/** The handles, made once at boot, and how to let go of them. */
export interface Cluster extends ClusterHandles {
  close(): Promise<void>;
}

/**
 * Connects to the cluster's Redis (failing the boot with a clear message when it cannot) and
 * opens the shared BullMQ queue and the slots beside it.
 */
export async function joinCluster(
  options: ClusterOptions,
  log: FastifyBaseLogger,
): Promise<Cluster> {
  const redis = await connectRedis(options.redisUrl);
  // Once per outage, not once per reconnect attempt; every other connection logs at debug.
  let unreachable = false;
  redis.on('error', (error) => {
    if (unreachable) return;
    unreachable = true;
    log.warn({ err: error }, 'cluster Redis unreachable: /ready answers 503 until it is back');
  });
  redis.on('ready', () => {
    if (!unreachable) return;
    unreachable = false;
    log.info('cluster Redis reachable again');
  });
  const queue = new Queue<ClusterJobData>(options.queueName, {
    connection: { url: options.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  });
  queue.on('error', (error) => {
    if (redis.status === 'ready') log.warn({ err: error }, 'cluster queue failed');
    else log.debug({ err: error }, 'cluster queue failed while Redis is unreachable');
  });
  const keys = clusterKeysOf(queue);
  const slots = createClusterSlots({
    redis,
    keys,
    scripts: clusterScriptsOn(redis, keys),
    maxConcurrent: options.maxConcurrent,
    maxQueue: options.maxQueue,
    leaseMs: options.lockMs,
    replicaId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    onLeaseError: (error) => log.debug({ err: error }, 'cluster slot lease not renewed'),
  });
  return {
    redis,
    queue,
    keys,
    records: clusterJobRecords(redis, keys),
    slots,
    lockMs: options.lockMs,
    async close() {
      slots.close();
      await queue.close().catch(() => {});
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

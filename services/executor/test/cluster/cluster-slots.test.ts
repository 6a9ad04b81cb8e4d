import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ClusterKeys, clusterKeysOf } from '../../src/cluster/cluster-keys.js';
import { clusterScriptsOn } from '../../src/cluster/cluster-scripts.js';
import { type ClusterSlots, createClusterSlots } from '../../src/cluster/cluster-slots.js';
import { refusalMessageOf } from '../../src/refusal-messages.js';
import { useRedisServer } from './use-redis-server.js';

const redis = useRedisServer();
const connections: Redis[] = [];
const slotSets: ClusterSlots[] = [];

afterEach(() => {
  for (const slots of slotSets.splice(0)) slots.close();
});

afterAll(async () => {
  for (const connection of connections) connection.disconnect();
});

/** One replica's view of a fresh queue: its own connection, as a separate process has. */
function replica(queueName: string, limits: { maxConcurrent: number; maxQueue: number }) {
  const connection = new Redis(redis.url);
  connections.push(connection);
  const keys: ClusterKeys = clusterKeysOf({ toKey: (type) => `bull:${queueName}:${type}` });
  const slots = createClusterSlots({
    redis: connection,
    keys,
    scripts: clusterScriptsOn(connection, keys),
    ...limits,
    leaseMs: 5_000,
    pollMs: 20,
    replicaId: randomUUID(),
  });
  slotSets.push(slots);
  return { slots, keys, connection };
}

const pending = () => new AbortController().signal;

async function waitForState(
  slots: ClusterSlots | undefined,
  expected: { running: number; queued: number },
): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const state = await slots?.state();
    if (state?.running === expected.running && state.queued === expected.queued) return;
    await sleep(10);
  }
  expect(await slots?.state()).toMatchObject(expected);
}

describe('cluster admission of jobs', () => {
  it('never overshoots the cap when two replicas admit at once', async () => {
    const queue = `admit-${randomUUID()}`;
    const limits = { maxConcurrent: 2, maxQueue: 10 };
    const replicas = [replica(queue, limits), replica(queue, limits)];
    const attempts = Array.from({ length: 200 }, (_, index) =>
      replicas[index % 2]?.slots.admit(`job-${index}`).then(
        () => 'admitted' as const,
        (error: { code?: string; retryAfterSeconds?: number }) => error,
      ),
    );
    const answers = await Promise.all(attempts);
    const admitted = answers.filter((answer) => answer === 'admitted');
    const refused = answers.filter((answer) => answer !== 'admitted');
    // Ten may wait, those about to start included: ten, however the race falls.
    expect(admitted).toHaveLength(10);
    for (const refusal of refused) {
      expect(refusal).toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
      expect((refusal as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(
        1,
      );
    }
    expect(await replicas[0]?.slots.state()).toMatchObject({ queued: 10, running: 0 });
  });

  it('admits one job at a time while a slot is free when no queue is allowed', async () => {
    const { slots, keys, connection } = replica(`no-queue-${randomUUID()}`, {
      maxConcurrent: 1,
      maxQueue: 0,
    });
    const admission = await slots.admit('a');
    await expect(slots.admit('b')).rejects.toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
    await connection.rpush(keys.wait, 'a');
    await admission.settle();
    await expect(slots.admit('b')).rejects.toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
    // Taken by a worker that holds the one slot: now every slot is busy, and nothing may wait.
    await connection.lpop(keys.wait);
    await slots.acquire({ holder: 'a', signal: pending(), accepted: true });
    await expect(slots.admit('c')).rejects.toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
  });

  it('counts jobs in BullMQ’s wait list and lets a settled admission go', async () => {
    const { slots, keys, connection } = replica(`wait-${randomUUID()}`, {
      maxConcurrent: 1,
      maxQueue: 3,
    });
    await connection.rpush(keys.wait, 'a', 'b');
    const admission = await slots.admit('c');
    await expect(slots.admit('d')).rejects.toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
    // In BullMQ now: counted there instead.
    await connection.rpush(keys.wait, 'c');
    await admission.settle();
    expect(await slots.state()).toMatchObject({ queued: 3 });
    expect(await slots.refusal()).toMatchObject({ code: 'LIMITER_QUEUE_FULL', queued: 3 });
  });
});

describe('cluster slots for running exports', () => {
  it('holds the running cap across replicas and serves waiters first come, first served', async () => {
    const queue = `slots-${randomUUID()}`;
    const limits = { maxConcurrent: 2, maxQueue: 3 };
    const [a, b] = [replica(queue, limits), replica(queue, limits)];
    const releaseFirst = await a?.slots.acquire({
      holder: 'r1',
      signal: pending(),
      accepted: false,
    });
    const releaseSecond = await b?.slots.acquire({
      holder: 'r2',
      signal: pending(),
      accepted: false,
    });
    expect(await a?.slots.state()).toMatchObject({ running: 2, queued: 0 });

    const order: string[] = [];
    const releases = new Map<string, () => Promise<void>>();
    for (const [index, holder] of ['w1', 'w2', 'w3'].entries()) {
      const replicaSlots = index % 2 ? a?.slots : b?.slots;
      void replicaSlots?.acquire({ holder, signal: pending(), accepted: false }).then((release) => {
        order.push(holder);
        releases.set(holder, release);
      });
      // In line before the next one arrives: the order they came in is the order to serve.
      await waitForState(a?.slots, { running: 2, queued: index + 1 });
    }
    // The queue is full: a fourth request is refused, a job is not.
    await expect(
      b?.slots.acquire({ holder: 'r4', signal: pending(), accepted: false }),
    ).rejects.toMatchObject({ code: 'LIMITER_QUEUE_FULL', retryAfterSeconds: expect.any(Number) });
    const job = a?.slots.acquire({ holder: 'job-1', signal: pending(), accepted: true });
    // Its ticket is in line behind the three (a job's wait counts through BullMQ's active list).
    await sleep(150);

    // One slot frees at a time: each goes to the one at the head of the line.
    const served = async (count: number) => {
      for (let attempt = 0; attempt < 300 && order.length < count; attempt += 1) await sleep(10);
      return [...order];
    };
    await releaseFirst?.();
    expect(await served(1)).toEqual(['w1']);
    await releases.get('w1')?.();
    expect(await served(2)).toEqual(['w1', 'w2']);
    await releaseSecond?.();
    expect(await served(3)).toEqual(['w1', 'w2', 'w3']);
    await waitForState(a?.slots, { running: 2, queued: 0 });
    await releases.get('w2')?.();
    await (await job)?.();
    await releases.get('w3')?.();
    expect(await a?.slots.state()).toMatchObject({ running: 0, queued: 0 });
  });

  it('gives a waiter up when its signal aborts, leaving no ticket behind', async () => {
    const { slots } = replica(`abort-${randomUUID()}`, { maxConcurrent: 1, maxQueue: 5 });
    const release = await slots.acquire({ holder: 'held', signal: pending(), accepted: false });
    const controller = new AbortController();
    const waiting = slots.acquire({ holder: 'gone', signal: controller.signal, accepted: false });
    await sleep(60);
    expect(await slots.state()).toMatchObject({ queued: 1 });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'LIMITER_ABORTED' });
    expect(await slots.state()).toMatchObject({ running: 1, queued: 0 });
    await release();
  });

  it('frees the slot of a holder that stopped renewing it once its lease lapses', async () => {
    const queue = `lease-${randomUUID()}`;
    const connection = new Redis(redis.url);
    connections.push(connection);
    const keys = clusterKeysOf({ toKey: (type) => `bull:${queue}:${type}` });
    const scripts = clusterScriptsOn(connection, keys);
    // A replica killed while holding a slot: nobody renews or releases it.
    expect((await scripts.acquireSlot('dead', 300, 1, 0, false)).answer).toBe('held');
    expect((await scripts.acquireSlot('next', 300, 1, 0, false)).answer).toBe('refused');
    await sleep(400);
    expect((await scripts.acquireSlot('next', 300, 1, 0, false)).answer).toBe('held');
  });

  it('estimates Retry-After from the depth and the recent durations', async () => {
    const { slots, keys, connection } = replica(`retry-${randomUUID()}`, {
      maxConcurrent: 2,
      maxQueue: 4,
    });
    // Exports took 10 s each lately; 6 wait for 2 slots: with this one, 7 turns over 2 slots
    // (the limiter's formula, estimateRetryAfterSeconds).
    await connection.lpush(keys.durations, 10_000, 10_000, 10_000);
    await connection.rpush(keys.wait, 'a', 'b', 'c', 'd', 'e', 'f');
    const refusal = await slots.refusal();
    expect(refusal).toMatchObject({ code: 'LIMITER_QUEUE_FULL', retryAfterSeconds: 35 });
    expect(refusalMessageOf(refusal)).toBe(
      "the cluster's export queue is full (6 waiting across replicas, EXPORT_CLUSTER_MAX_QUEUE 4); retry in 35 s",
    );
  });
});

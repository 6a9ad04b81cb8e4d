import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.js';

// Every script reads Redis's clock, not a replica's: leases compare across machines.
const clock = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

// KEYS, the same for every script: 1 slots, 2 tickets (arrival order), 3 ticket expiry,
// 4 BullMQ wait, 5 BullMQ prioritized, 6 admissions, 7 BullMQ active, 8 slots held by jobs,
// 9 tickets held by requests, 10 the arrival counter, 11 the prefix of BullMQ's job hashes.
// Lapsed leases go first, so a killed replica's holds free themselves.
// `queued` counts every job not running (in BullMQ's wait list, being admitted, or taken by a
// worker but still without a slot) and every request waiting for a slot.
const sweep = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[8], '-inf', now)
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, holder in ipairs(lapsed) do redis.call('ZREM', KEYS[2], holder) end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[9], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
local takenWithoutSlot = redis.call('LLEN', KEYS[7]) - redis.call('ZCARD', KEYS[8])
if takenWithoutSlot < 0 then takenWithoutSlot = 0 end
-- An admission whose job BullMQ already has is counted there, not twice.
local admitting = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
  if redis.call('EXISTS', KEYS[11] .. id) == 0 then admitting = admitting + 1 end
end
local queued = redis.call('LLEN', KEYS[4]) + redis.call('ZCARD', KEYS[5])
  + admitting + takenWithoutSlot + redis.call('ZCARD', KEYS[9])
local running = redis.call('ZCARD', KEYS[1])
`;

/**
 * Takes a slot or a place in line for one, first come first served. Returns {1, queued} with
 * the slot held, {0, queued} with a ticket held (ask again), {-1, queued} refused: the queue
 * is full. ARGV: holder, lease ms, maxConcurrent, maxQueue, job (1: accepted, never refused).
 */
const acquireSlot = `${clock}${sweep}
local holder, lease = ARGV[1], tonumber(ARGV[2])
local maxConcurrent, maxQueue, job = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1'
if redis.call('ZSCORE', KEYS[1], holder) then
  redis.call('ZADD', KEYS[1], now + lease, holder)
  if job then redis.call('ZADD', KEYS[8], now + lease, holder) end
  return {1, queued}
end
local free = maxConcurrent - running
local rank = redis.call('ZRANK', KEYS[2], holder)
local ahead = rank or redis.call('ZCARD', KEYS[2])
if ahead < free then
  redis.call('ZADD', KEYS[1], now + lease, holder)
  if job then redis.call('ZADD', KEYS[8], now + lease, holder) end
  redis.call('ZREM', KEYS[2], holder)
  redis.call('ZREM', KEYS[3], holder)
  if not job and rank then
    redis.call('ZREM', KEYS[9], holder)
    queued = queued - 1
  end
  return {1, queued}
end
if not rank then
  if not job and queued >= maxQueue then return {-1, queued} end
  -- A counter, not the clock: two arrivals in one millisecond keep their order.
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[10]), holder)
  if not job then queued = queued + 1 end
end
redis.call('ZADD', KEYS[3], now + lease, holder)
if not job then redis.call('ZADD', KEYS[9], now + lease, holder) end
return {0, queued}
`;

/**
 * Admits a job into the cluster queue unless it is full (jobs about to start count as queued
 * until a worker has taken them), holding its place until it is in
 * BullMQ's wait list (then `settleAdmission`): the check and the hold are one atomic step, so
 * replicas racing never overshoot the cap. Returns {1, queued} or {0, queued} refused.
 * ARGV: job id, hold ms, maxConcurrent, maxQueue.
 */
const admitJob = `${clock}${sweep}
local room = tonumber(ARGV[4])
-- Every job passes through BullMQ's wait list, however briefly: with no queue allowed, one may
-- pass at a time while a slot is free.
if room == 0 and running < tonumber(ARGV[3]) then room = 1 end
if queued >= room then return {0, queued} end
redis.call('ZADD', KEYS[6], now + tonumber(ARGV[2]), ARGV[1])
return {1, queued + 1}
`;

/** How many wait and run right now, leases swept first. Returns {queued, running}. */
const clusterState = `${clock}${sweep}
return {queued, running}
`;

/** Extends the leases of the given holders' slots and tickets (ARGV: lease ms, holders…). */
const renewLeases = `${clock}
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do
  for _, key in ipairs({KEYS[1], KEYS[3], KEYS[8], KEYS[9]}) do
    redis.call('ZADD', key, 'XX', now + lease, ARGV[i])
  end
end
return #ARGV - 1
`;

/** Frees a holder's slot or ticket. */
const releaseSlot = `
for _, key in ipairs({KEYS[1], KEYS[2], KEYS[3], KEYS[8], KEYS[9]}) do
  redis.call('ZREM', key, ARGV[1])
end
return 1
`;

export type SlotAnswer = 'held' | 'queued' | 'refused';

export interface ClusterScripts {
  acquireSlot(
    holder: string,
    leaseMs: number,
    maxConcurrent: number,
    maxQueue: number,
    accepted: boolean,
  ): Promise<{ answer: SlotAnswer; queued: number }>;
  admitJob(
    id: string,
    holdMs: number,
    maxConcurrent: number,
    maxQueue: number,
  ): Promise<{ admitted: boolean; queued: number }>;
  settleAdmission(id: string): Promise<void>;
  state(): Promise<{ queued: number; running: number }>;
  renewLeases(leaseMs: number, holders: string[]): Promise<void>;
  releaseSlot(holder: string): Promise<void>;
}

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/** The Lua scripts above, loaded into `redis` (EVALSHA, reloaded on NOSCRIPT by ioredis). */
export function clusterScriptsOn(redis: Redis, keys: ClusterKeys): ClusterScripts {
  const scripts = { acquireSlot, admitJob, clusterState, renewLeases, releaseSlot };
  for (const [name, lua] of Object.entries(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, { lua });
  }
  // Bound: ioredis's script commands read their options from `this`.
  const call =
    (name: keyof typeof scripts): ScriptCall =>
    (...args) =>
      (redis as unknown as Record<string, ScriptCall>)[name]?.(...args) ??
      Promise.reject(new Error(`script ${name} is not loaded`));
  // The same nine keys for every script, in the order `sweep` reads them.
  const sweptKeys = [
    keys.slots,
    keys.tickets,
    keys.ticketExpiry,
    keys.wait,
    keys.prioritized,
    keys.admissions,
    keys.active,
    keys.jobSlots,
    keys.requestTickets,
    keys.arrivals,
    keys.bullJob(''),
  ];
  const keyCount = sweptKeys.length;
  const pair = (reply: unknown) => reply as [number, number];

  return {
    async acquireSlot(holder, leaseMs, maxConcurrent, maxQueue, accepted) {
      const [code, queued] = pair(
        await call('acquireSlot')(
          keyCount,
          ...sweptKeys,
          holder,
          leaseMs,
          maxConcurrent,
          maxQueue,
          accepted ? 1 : 0,
        ),
      );
      return { answer: code === 1 ? 'held' : code === 0 ? 'queued' : 'refused', queued };
    },
    async admitJob(id, holdMs, maxConcurrent, maxQueue) {
      const [code, queued] = pair(
        await call('admitJob')(keyCount, ...sweptKeys, id, holdMs, maxConcurrent, maxQueue),
      );
      return { admitted: code === 1, queued };
    },
    async settleAdmission(id) {
      await redis.zrem(keys.admissions, id);
    },
    async state() {
      const [queued, running] = pair(await call('clusterState')(keyCount, ...sweptKeys));
      return { queued, running };
    },
    async renewLeases(leaseMs, holders) {
      if (holders.length === 0) return;
      await call('renewLeases')(keyCount, ...sweptKeys, leaseMs, ...holders);
    },
    async releaseSlot(holder) {
      await call('releaseSlot')(keyCount, ...sweptKeys, holder);
    },
  };
}

import type { Redis } from 'ioredis';
import type { ClusterKeys } from '../cluster/cluster-keys.js';
import type { WebhookDelivery, WebhookStore } from './webhook-delivery.js';

// KEYS: 1 the due set, 2 the prefix of the deliveries' keys. ARGV: now, limit, lease (ms).
// A claimed delivery is pushed past its lease in the same step: no other replica can take it.
const claimDue = `
local now, limit, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
local claimed = {}
for _, id in ipairs(due) do
  local delivery = redis.call('GET', KEYS[2] .. id)
  if delivery then
    redis.call('ZADD', KEYS[1], now + lease, id)
    table.insert(claimed, delivery)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return claimed
`;

// KEYS: 1 the due set, 2 the delivery. ARGV: job id, delivery JSON, next due (ms) or '' when
// no longer pending, 1 to create it (only if absent) or 0 to update it (only if present, so a
// deleted job's delivery is not brought back).
const saveDelivery = `
local saved
if ARGV[4] == '1' then
  saved = redis.call('SET', KEYS[2], ARGV[2], 'NX')
else
  saved = redis.call('SET', KEYS[2], ARGV[2], 'XX')
end
if not saved then return 0 end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), ARGV[1])
end
return 1
`;

/** The cluster's deliveries, in Redis beside the job records, claimed by any replica. */
export function createRedisWebhookStore(redis: Redis, keys: ClusterKeys): WebhookStore {
  const prefix = keys.webhook('');

  async function save(delivery: WebhookDelivery, create: boolean): Promise<void> {
    await redis.eval(
      saveDelivery,
      2,
      keys.webhooksDue,
      keys.webhook(delivery.jobId),
      delivery.jobId,
      JSON.stringify(delivery),
      delivery.state === 'pending' ? String(delivery.nextAttemptAt) : '',
      create ? '1' : '0',
    );
  }

  return {
    schedule: (delivery) => save(delivery, true),
    update: (delivery) => save(delivery, false),
    async claimDue(nowMs, limit, leaseMs) {
      const claimed = (await redis.eval(
        claimDue,
        2,
        keys.webhooksDue,
        prefix,
        nowMs,
        limit,
        leaseMs,
      )) as string[];
      return claimed.map((json) => JSON.parse(json) as WebhookDelivery);
    },
    async remove(jobId) {
      await redis.multi().del(keys.webhook(jobId)).zrem(keys.webhooksDue, jobId).exec();
    },
  };
}

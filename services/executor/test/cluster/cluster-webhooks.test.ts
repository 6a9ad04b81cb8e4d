import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../real-server/wait-until.js';
import { startWebhookReceiver } from '../webhooks/webhook-receiver.js';
import { postNdjsonJob, startReplicas } from './replica-cluster.js';
import { useRedisServer } from './use-redis-server.js';

const redis = useRedisServer();
const secret = 'c'.repeat(40);

describe('completion webhooks in a cluster of three replicas', () => {
  it('make each attempt once, from whichever replica finds it due, under one id until delivered', async () => {
    const receiver = await startWebhookReceiver(secret, { answers: [503, 503, 503] });
    const replicas = await startReplicas(redis.url, {
      EXPORT_WEBHOOK_HOSTS: receiver.host,
      EXPORT_WEBHOOK_SECRET: secret,
      EXPORT_WEBHOOK_FIRST_RETRY_S: '0.2',
    });
    const [first] = replicas;
    const submitted = await postNdjsonJob(
      first?.url ?? '',
      `format=csv&callbackUrl=${encodeURIComponent(receiver.url())}`,
      1000,
    );
    expect(submitted.status, submitted.text).toBe(202);
    const received = await waitUntil(
      'four attempts',
      async () => (receiver.received.length >= 4 ? receiver.received : undefined),
      { timeoutMs: 30_000 },
    );
    // Every replica polls the same due set: a duplicate would show as a repeated attempt.
    await sleep(3000);
    expect(receiver.received.map((delivery) => delivery.headers['export-webhook-attempt'])).toEqual(
      ['1', '2', '3', '4'],
    );
    expect(received.map((delivery) => delivery.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(received.map((delivery) => delivery.headers['export-webhook-id'])).size).toBe(1);
    expect(received.every((delivery) => delivery.signed)).toBe(true);
    expect(JSON.parse(received[3]?.body ?? '{}')).toMatchObject({
      type: 'export.job.done',
      job: { id: (submitted.json as { id: string }).id, status: 'done', rows: 1000 },
    });
  }, 60_000);
});

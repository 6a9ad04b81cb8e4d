import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../../src/app.js';
import { buildTestApp, buildTestAppInFolder, buildTestAppWithFolder } from '../build-test-app.js';
import { finishedJob, ndjsonOf, submitJob, trades, waitForJobStatus } from '../job-helpers.js';
import { waitUntil } from '../real-server/wait-until.js';
import { clusterBackend } from '../test-backend.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const secret = 'w'.repeat(40);

function webhookEnv(receiver: WebhookReceiver, env: Record<string, string> = {}) {
  return {
    EXPORT_WEBHOOK_HOSTS: receiver.host,
    EXPORT_WEBHOOK_SECRET: secret,
    EXPORT_WEBHOOK_FIRST_RETRY_S: '0.05',
    ...env,
  };
}

function deliveries(receiver: WebhookReceiver, count: number, timeoutMs = 15_000) {
  return waitUntil(
    `${count} webhook deliveries`,
    async () => (receiver.received.length >= count ? receiver.received : undefined),
    { timeoutMs },
  );
}

async function deliveryCounts(app: ExecutorApp): Promise<Record<string, number>> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(
    /^export_webhook_deliveries_total\{outcome="(\w+)"\} (\S+)$/gm,
  )) {
    counts[match[1] as string] = Number(match[2]);
  }
  return counts;
}

// Each test waits for attempts seconds apart (up to 15 s each on a loaded machine): longer
// than vitest's 5 s default.
describe('a job with a callbackUrl', { timeout: 30_000 }, () => {
  it('POSTs the done job once, signed, with an idempotency id, and counts it delivered', async () => {
    const receiver = await startWebhookReceiver(secret);
    const app = await buildTestApp(webhookEnv(receiver));
    const job = await submitJob(app, {
      format: 'csv',
      data: trades,
      callbackUrl: receiver.url(),
    });
    const [delivery] = await deliveries(receiver, 1);
    const body = JSON.parse(delivery?.body ?? '{}');
    expect(delivery?.signed).toBe(true);
    expect(delivery?.headers['content-type']).toBe('application/json');
    expect(delivery?.headers['export-webhook-id']).toBe(body.id);
    expect(delivery?.headers['export-webhook-attempt']).toBe('1');
    expect(body).toMatchObject({
      type: 'export.job.done',
      job: { id: job.id, status: 'done', rows: 2 },
    });
    const done = await waitForJobStatus(app, job.id, ['done']);
    expect(body.job.sha256).toBe(done.sha256);
    await waitUntil(
      'the delivery counted',
      async () => ((await deliveryCounts(app)).delivered === 1 ? true : undefined),
      { timeoutMs: 5000 },
    );
    expect(await deliveryCounts(app)).toEqual({ delivered: 1, retry: 0, failed: 0 });
    // Nothing more comes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).toHaveLength(1);
  });

  it('retries after 503s under the same id until delivered, each attempt signed anew', async () => {
    const receiver = await startWebhookReceiver(secret, { answers: [503, 500] });
    const app = await buildTestApp(webhookEnv(receiver));
    await submitJob(app, { format: 'csv', data: trades, callbackUrl: receiver.url() });
    const received = await deliveries(receiver, 3);
    expect(received.map((delivery) => delivery.status)).toEqual([503, 500, 200]);
    expect(new Set(received.map((delivery) => delivery.headers['export-webhook-id'])).size).toBe(1);
    expect(received.map((delivery) => delivery.headers['export-webhook-attempt'])).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(received.every((delivery) => delivery.signed)).toBe(true);
    await waitUntil(
      'the delivery counted',
      async () => ((await deliveryCounts(app)).delivered === 1 ? true : undefined),
      { timeoutMs: 5000 },
    );
    expect(await deliveryCounts(app)).toEqual({ delivered: 1, retry: 2, failed: 0 });
  });

  it('gives up after EXPORT_WEBHOOK_MAX_ATTEMPTS failures, and at once on a 4xx', async () => {
    const failing = await startWebhookReceiver(secret, { answers: [503, 503, 503, 503, 503] });
    const app = await buildTestApp(webhookEnv(failing, { EXPORT_WEBHOOK_MAX_ATTEMPTS: '3' }));
    await submitJob(app, { format: 'csv', data: trades, callbackUrl: failing.url() });
    await deliveries(failing, 3);
    await waitUntil(
      'the delivery given up',
      async () => ((await deliveryCounts(app)).failed === 1 ? true : undefined),
      { timeoutMs: 5000 },
    );
    expect(await deliveryCounts(app)).toEqual({ delivered: 0, retry: 2, failed: 1 });

    const refusing = await startWebhookReceiver(secret, { answers: [410] });
    const other = await buildTestApp(webhookEnv(refusing));
    await submitJob(other, { format: 'csv', data: trades, callbackUrl: refusing.url() });
    await deliveries(refusing, 1);
    await waitUntil(
      'the delivery given up',
      async () => ((await deliveryCounts(other)).failed === 1 ? true : undefined),
      { timeoutMs: 5000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(refusing.received).toHaveLength(1);
    expect(failing.received).toHaveLength(3);
  });

  it('never follows a redirect: a 302 is given up, and nothing is sent where it points', async () => {
    const receiver = await startWebhookReceiver(secret, { answers: [302] });
    const app = await buildTestApp(webhookEnv(receiver));
    await submitJob(app, { format: 'csv', data: trades, callbackUrl: receiver.url() });
    await deliveries(receiver, 1);
    await waitUntil(
      'the delivery given up',
      async () => ((await deliveryCounts(app)).failed === 1 ? true : undefined),
      { timeoutMs: 5000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).toHaveLength(1);
  });

  it('tells of a cancelled job too', async () => {
    const receiver = await startWebhookReceiver(secret);
    const app = await buildTestApp({ ...webhookEnv(receiver), EXPORT_SHUTDOWN_TIMEOUT_S: '0' });
    const job = await submitJob(app, {
      format: 'pdf',
      data: Array.from({ length: 100_000 }, (_, id) => ({ id, name: `row ${id}` })),
      callbackUrl: receiver.url(),
    });
    await waitForJobStatus(app, job.id, ['running']);
    const cancelled = await app.inject({ method: 'DELETE', url: `/export/jobs/${job.id}` });
    expect(cancelled.json().status).toBe('cancelled');
    const [delivery] = await deliveries(receiver, 1);
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      type: 'export.job.cancelled',
      job: { id: job.id, status: 'cancelled' },
    });
  });

  // The embedded backend's delivery is a file beside the job; the cluster's is in Redis.
  // Seen once, in a full run on a loaded machine, to send no second attempt within 15 s of the
  // restart; not reproduced alone or under load since. Retried once, and the delivery's file and
  // counts are in the failure, for whoever sees it next.
  it.skipIf(clusterBackend)(
    'keeps a pending delivery across a restart and delivers it under the same id',
    { retry: 1 },
    async () => {
      const receiver = await startWebhookReceiver(secret, { answers: [503] });
      const { app, exportDirectory } = await buildTestAppWithFolder(
        webhookEnv(receiver, { EXPORT_WEBHOOK_FIRST_RETRY_S: '3600' }),
      );
      const job = await submitJob(app, {
        format: 'csv',
        data: trades,
        callbackUrl: receiver.url(),
      });
      await deliveries(receiver, 1);
      await waitUntil(
        'the retry recorded',
        async () => ((await deliveryCounts(app)).retry === 1 ? true : undefined),
        { timeoutMs: 5000 },
      );
      await app.close();
      // Due again at once after the restart: the retry was an hour away under the old setting.
      const path = join(exportDirectory, 'jobs', job.id, 'webhook.json');
      const pending = JSON.parse(await readFile(path, 'utf8'));
      expect(pending).toMatchObject({ state: 'pending', attempts: 1 });
      await writeFile(path, JSON.stringify({ ...pending, nextAttemptAt: Date.now() }));
      const restarted = (await buildTestAppInFolder(exportDirectory, webhookEnv(receiver))).app;
      const received = await deliveries(receiver, 2).catch(async (error: Error) => {
        const state = await readFile(path, 'utf8').catch(() => 'none');
        throw new Error(
          `${error.message}; webhook.json: ${state}; counts: ${JSON.stringify(await deliveryCounts(restarted))}`,
        );
      });
      expect(received[1]?.status).toBe(200);
      expect(received[1]?.headers['export-webhook-id']).toBe(
        received[0]?.headers['export-webhook-id'],
      );
      expect(received[1]?.headers['export-webhook-attempt']).toBe('2');
    },
  );
});

describe('a callbackUrl refused at submission', () => {
  it.each([
    [
      'a host not in EXPORT_WEBHOOK_HOSTS',
      'http://169.254.169.254/latest/meta-data',
      'names the host "169.254.169.254", which is not in EXPORT_WEBHOOK_HOSTS',
    ],
    [
      'another port of a listed host:port',
      'http://127.0.0.1:1/hook',
      'names the host "127.0.0.1:1", which is not in EXPORT_WEBHOOK_HOSTS',
    ],
    [
      'credentials in the URL',
      'http://user:pass@127.0.0.1/hook',
      'must be an http:// or https:// URL without credentials',
    ],
    [
      'another scheme',
      'file:///etc/passwd',
      'must be an http:// or https:// URL without credentials',
    ],
    ['not a URL', 'hooks', 'must be an http:// or https:// URL without credentials'],
  ])(
    'is a 400 naming body/callbackUrl for %s, keeping nothing',
    async (_name, callbackUrl, message) => {
      const receiver = await startWebhookReceiver(secret);
      const { app, exportDirectory } = await buildTestAppWithFolder(webhookEnv(receiver));
      const response = await app.inject({
        method: 'POST',
        url: '/export/jobs',
        payload: { format: 'csv', data: trades, callbackUrl },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'EXECUTOR_INVALID_REQUEST' });
      expect(response.json().message).toContain(`body/callbackUrl ${message}`);
      expect(await readdir(join(exportDirectory, 'jobs'))).toEqual([]);
    },
  );

  it('is a 400 naming querystring/callbackUrl for an NDJSON upload', async () => {
    const receiver = await startWebhookReceiver(secret);
    const app = await buildTestApp(webhookEnv(receiver));
    const response = await app.inject({
      method: 'POST',
      url: `/export/jobs?format=csv&callbackUrl=${encodeURIComponent('http://evil.example/x')}`,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjsonOf(trades),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(
      'querystring/callbackUrl names the host "evil.example"',
    );
  });

  it('is a 400 saying webhooks are off when EXPORT_WEBHOOK_HOSTS is not set', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'csv', data: trades, callbackUrl: 'http://127.0.0.1/hook' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(
      'body/callbackUrl cannot be used: this executor sends no webhooks (EXPORT_WEBHOOK_HOSTS and EXPORT_WEBHOOK_SECRET are not set)',
    );
  });

  it('is a 400 on /export/run and /export/stream, which have no job to tell of', async () => {
    const app = await buildTestApp();
    for (const url of ['/export/run', '/export/stream']) {
      const response = await app.inject({
        method: 'POST',
        url,
        payload: { format: 'csv', data: trades, callbackUrl: 'http://127.0.0.1/hook' },
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().code).toBe('EXECUTOR_INVALID_REQUEST');
    }
  });
});

describe('a job without a callbackUrl', () => {
  it('sends nothing', async () => {
    const receiver = await startWebhookReceiver(secret);
    const app = await buildTestApp(webhookEnv(receiver));
    await finishedJob(app);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).toEqual([]);
  });
});

import type { FastifyBaseLogger } from 'fastify';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import type { JobView } from '../schemas/job-schema.js';
import { sendWebhook, type WebhookAttempt } from './send-webhook.js';
import { webhookRetryDelayMs } from './webhook-backoff.js';
import type { WebhookDelivery, WebhookStore } from './webhook-delivery.js';
import type { WebhookHosts } from './webhook-hosts.js';
import { signWebhook, webhookSignatureHeader } from './webhook-signature.js';

export type WebhookOutcome = 'delivered' | 'retry' | 'failed';

export interface WebhookDispatcherOptions {
  store: WebhookStore;
  /** The job's record now; undefined once it is deleted. */
  readJob(jobId: string): Promise<JobRecord | undefined>;
  /** The job as its view shows it, downloadUrl included. */
  viewOf(record: JobRecord): JobView;
  hosts: WebhookHosts;
  secret: string;
  maxAttempts: number;
  firstRetryMs: number;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** How often due deliveries are looked for. */
  pollMs: number;
  /** Counts each attempt's outcome (export_webhook_deliveries_total). */
  count(outcome: WebhookOutcome): void;
  log: FastifyBaseLogger;
  now?: () => number;
  random?: () => number;
}

export interface WebhookDispatcher {
  /** Looks for due deliveries now, not at the next poll: a job just ended. */
  wake(): void;
  start(): Promise<void>;
  /** Stops polling and waits for the attempts under way. */
  close(): Promise<void>;
}

const maxInFlight = 8;
// A delivery whose job cannot be read yet, or has not ended yet, is looked at again this soon.
const unreadableRetryMs = 1000;
const eventTypes = {
  done: 'export.job.done',
  failed: 'export.job.failed',
  cancelled: 'export.job.cancelled',
} as const;

/**
 * Sends each finished job's webhook, retrying with backoff, from whichever process finds it
 * due: a claimed delivery is leased, so two replicas never make the same attempt.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { store, hosts, secret, maxAttempts, firstRetryMs, pollMs, log } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  // Longer than any one attempt may take, so a lease only lapses when its holder died.
  const leaseMs = options.connectTimeoutMs + options.responseTimeoutMs + 30_000;
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let polling: Promise<void> | undefined;
  let wakeRequested = false;
  let loaded: Promise<void> = Promise.resolve();

  function arm(delayMs: number) {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(poll, delayMs);
    timer.unref();
  }

  function poll() {
    if (polling || closed) return;
    wakeRequested = false;
    polling = claimAndSend().finally(() => {
      polling = undefined;
      arm(wakeRequested ? 0 : pollMs);
    });
  }

  async function claimAndSend() {
    await loaded;
    const room = maxInFlight - inFlight.size;
    if (room <= 0) return;
    let due: WebhookDelivery[];
    try {
      due = await store.claimDue(now(), room, leaseMs);
    } catch (error) {
      log.warn({ err: error }, 'due webhooks could not be read; trying again shortly');
      return;
    }
    for (const delivery of due) {
      const attempt = attemptOnce(delivery).catch((error: unknown) => {
        log.error({ err: error, jobId: delivery.jobId }, 'webhook attempt could not be recorded');
      });
      inFlight.add(attempt);
      void attempt.finally(() => inFlight.delete(attempt));
    }
  }

  async function attemptOnce(delivery: WebhookDelivery): Promise<void> {
    const record = await options.readJob(delivery.jobId).catch((error: unknown) => {
      // Jobs cannot be read now (recovering after a boot, Redis down): soon, not an attempt.
      log.debug({ err: error, jobId: delivery.jobId }, 'webhook postponed: its job is unreadable');
      return null;
    });
    if (record === null) {
      await store.update({ ...delivery, nextAttemptAt: now() + unreadableRetryMs });
      return;
    }
    if (!record) {
      await store.remove(delivery.jobId);
      return;
    }
    // Scheduled just before the end was saved (or the save failed, and recovery ends it later).
    if (!finishedJobStatuses.has(record.status)) {
      await store.update({ ...delivery, nextAttemptAt: now() + unreadableRetryMs });
      return;
    }
    const url = new URL(delivery.url);
    // Checked again: the list may have shrunk since the job was submitted.
    const result: WebhookAttempt = hosts.admits(url)
      ? await send(delivery, record, url)
      : { outcome: 'rejected', status: 0, reason: `${url.host} is not in EXPORT_WEBHOOK_HOSTS` };
    const attempts = delivery.attempts + 1;
    const context = { jobId: record.id, deliveryId: delivery.id, attempt: attempts };
    if (result.outcome === 'delivered') {
      options.count('delivered');
      log.info({ ...context, status: result.status }, 'webhook delivered');
      await store.update({ ...delivery, attempts, state: 'delivered', lastError: null });
      return;
    }
    const retry = result.outcome === 'retry' && attempts < maxAttempts;
    options.count(retry ? 'retry' : 'failed');
    if (retry) {
      const delayMs = webhookRetryDelayMs(attempts, firstRetryMs, random);
      log.info({ ...context, reason: result.reason, retryInMs: delayMs }, 'webhook not delivered');
      await store.update({
        ...delivery,
        attempts,
        nextAttemptAt: now() + delayMs,
        lastError: result.reason,
      });
      return;
    }
    log.warn({ ...context, reason: result.reason }, 'webhook given up');
    await store.update({ ...delivery, attempts, state: 'failed', lastError: result.reason });
  }

  function send(delivery: WebhookDelivery, record: JobRecord, url: URL): Promise<WebhookAttempt> {
    const type = eventTypes[record.status as keyof typeof eventTypes];
    const body = JSON.stringify({
      id: delivery.id,
      type,
      createdAt: delivery.createdAt,
      job: options.viewOf(record),
    });
    return sendWebhook({
      url,
      body,
      headers: {
        [webhookSignatureHeader]: signWebhook(secret, Math.floor(now() / 1000), body),
        'export-webhook-id': delivery.id,
        'export-webhook-attempt': String(delivery.attempts + 1),
      },
      connectTimeoutMs: options.connectTimeoutMs,
      responseTimeoutMs: options.responseTimeoutMs,
    });
  }

  return {
    wake() {
      if (polling) wakeRequested = true;
      else arm(0);
    },
    async start() {
      // In the background: a boot with many stored jobs listens before they are all read.
      loaded = (store.start?.() ?? Promise.resolve()).catch((error: unknown) => {
        log.error({ err: error }, 'pending webhooks could not be loaded');
      });
      arm(0);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await polling;
      await Promise.allSettled([...inFlight]);
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { JobEndListener } from '../jobs/job-lifecycle.js';
import type { WebhookStore } from './webhook-delivery.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

export interface WebhookSchedulerOptions {
  store: WebhookStore;
  dispatcher: WebhookDispatcher;
  log: FastifyBaseLogger;
  now?: () => number;
}

/**
 * Owes a webhook for every job with a callbackUrl that ends: kept before the end is saved, sent
 * once it is. A delivery that cannot be kept (its store is down) is logged and lost: the job's
 * own end, which the client can always poll, comes first.
 */
export function createWebhookScheduler(options: WebhookSchedulerOptions): JobEndListener {
  const { store, dispatcher, log } = options;
  const now = options.now ?? Date.now;
  return {
    async beforeEnd(record) {
      if (!record.callbackUrl) return;
      try {
        await store.schedule({
          jobId: record.id,
          id: randomUUID(),
          url: record.callbackUrl,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now(),
          lastError: null,
          createdAt: new Date(now()).toISOString(),
        });
      } catch (error) {
        log.error({ err: error, jobId: record.id }, 'the job webhook could not be kept');
      }
    },
    afterEnd(record) {
      if (record.callbackUrl) dispatcher.wake();
    },
  };
}

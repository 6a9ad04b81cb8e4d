import { readdir, readFile } from 'node:fs/promises';
import type { JobFiles } from '../jobs/job-files.js';
import { writeJsonFile } from '../jobs/write-json-file.js';
import type { WebhookDelivery, WebhookStore } from './webhook-delivery.js';

/**
 * The embedded backend's deliveries: `webhook.json` in each job's folder, written before the
 * job's end is saved, so a restart finds every delivery still owed. Pending ones are also held
 * in memory, where this one process claims them.
 */
export function createFileWebhookStore(files: JobFiles): WebhookStore {
  const pending = new Map<string, { delivery: WebhookDelivery; leasedUntil: number }>();

  function hold(delivery: WebhookDelivery) {
    if (delivery.state === 'pending') pending.set(delivery.jobId, { delivery, leasedUntil: 0 });
    else pending.delete(delivery.jobId);
  }

  return {
    async schedule(delivery) {
      if (pending.has(delivery.jobId) || (await read(files.webhook(delivery.jobId)))) return;
      await writeJsonFile(files.webhook(delivery.jobId), delivery);
      hold(delivery);
    },

    async claimDue(nowMs, limit, leaseMs) {
      const due: WebhookDelivery[] = [];
      for (const entry of pending.values()) {
        if (due.length >= limit) break;
        if (entry.delivery.nextAttemptAt > nowMs || entry.leasedUntil > nowMs) continue;
        entry.leasedUntil = nowMs + leaseMs;
        due.push(entry.delivery);
      }
      return due;
    },

    async update(delivery) {
      // A job deleted meanwhile took its folder: nothing is owed any more.
      if (!pending.has(delivery.jobId)) return;
      await writeJsonFile(files.webhook(delivery.jobId), delivery).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          pending.delete(delivery.jobId);
        },
      );
      if (pending.has(delivery.jobId)) hold(delivery);
    },

    async remove(jobId) {
      pending.delete(jobId);
    },

    async start() {
      const ids = await readdir(files.root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      for (const id of ids) {
        const delivery = await read(files.webhook(id));
        if (delivery && !pending.has(id)) hold(delivery);
      }
    },
  };
}

async function read(path: string): Promise<WebhookDelivery | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as WebhookDelivery;
  } catch {
    return undefined;
  }
}

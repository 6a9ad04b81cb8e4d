import { createClusterMetrics } from '@org/export-metrics';
import { Registry } from 'prom-client';

export const registry = new Registry();

/** Where the replicas share their queue (Redis, in the executor); an object stands in for it. */
export const sharedQueue = { waiting: 3, active: 2, slots: 8, capacity: 500 };

createClusterMetrics({
  registry,
  // Read once per scrape; bound its time in a real store (a command timeout).
  read: async () => ({
    running: sharedQueue.active,
    queued: sharedQueue.waiting,
    maxConcurrent: sharedQueue.slots,
    maxQueue: sharedQueue.capacity,
  }),
});

import { setTimeout as sleep } from 'node:timers/promises';
import { createLimiter } from '@org/export-limiter';

const limiter = createLimiter({
  maxConcurrent: 5,
  maxQueue: 100,
  maxPerKey: 2,
  maxQueuedPerKey: 5,
  queueTimeoutMs: 30_000,
});

// Any task: its signal aborts when the caller cancels or the limiter's close times out.
async function exportTrades(signal: AbortSignal): Promise<number> {
  await sleep(50, undefined, { signal });
  return 1_000; // the rows it wrote
}

const controller = new AbortController();
const rows = await limiter.run((signal) => exportTrades(signal), {
  signal: controller.signal, // optional: the caller's cancellation
  key: 'alice', // optional: whose task it is, for maxPerKey and maxQueuedPerKey
});

console.log(rows, limiter.stats());
// 1000 { running: 0, queued: 0, maxConcurrent: 5, maxQueue: 100, maxPerKey: 2,
//        maxQueuedPerKey: 5, completed: 1, failed: 0, rejected: 0 }
await limiter.close({ timeoutMs: 25_000 }); // on shutdown

import { estimateRetryAfterSeconds } from '@org/export-limiter';

// A cluster's own queue, with the durations its replicas share (Redis, say): the same formula
// as the in-process limiter, so both answer the same Retry-After for the same state.
const recentRunMs = [1_800, 2_200, 2_000];
const meanRunMs =
  recentRunMs.length === 0
    ? undefined
    : recentRunMs.reduce((total, runMs) => total + runMs, 0) / recentRunMs.length;

export const retryAfterSeconds = estimateRetryAfterSeconds({
  queued: 40, // waiting across every replica
  maxConcurrent: 8, // slots across every replica
  meanRunMs, // undefined while nothing has finished: the answer is then 1
});
console.log(retryAfterSeconds); // 11: ceil(2000 ms × (40 + 1) / 8 / 1000)

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The test workers run without --expose-gc; V8 lets it be turned on, then read from a new context.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export interface MemoryGrowth {
  /** The resident set. */
  rss: number;
  /** Buffers and other ArrayBuffers, where the bytes of an upload live. */
  arrayBuffers: number;
}

/**
 * The most memory grew, over what it was before, while `work` ran: sampled every `intervalMs`
 * right after a full collection, so that it counts what is held, not garbage a lazy collector
 * has yet to free.
 */
export async function peakRetainedGrowth(
  work: () => Promise<void>,
  intervalMs = 50,
): Promise<MemoryGrowth> {
  collectGarbage();
  const baseline = process.memoryUsage();
  const peak = { rss: baseline.rss, arrayBuffers: baseline.arrayBuffers };
  const sampler = setInterval(() => {
    collectGarbage();
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
  }, intervalMs);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return {
    rss: peak.rss - baseline.rss,
    arrayBuffers: peak.arrayBuffers - baseline.arrayBuffers,
  };
}

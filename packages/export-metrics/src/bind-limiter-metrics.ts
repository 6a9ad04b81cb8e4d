import type { ExportMetrics } from './create-export-metrics.js';

/** What the metrics need of a limiter; `@org/export-limiter`'s limiter has it. */
export interface ObservableLimiter {
  stats(): { running: number; queued: number };
  on(event: 'queued' | 'started' | 'settled' | 'rejected', listener: () => void): unknown;
  off(event: 'queued' | 'started' | 'settled' | 'rejected', listener: () => void): unknown;
}

export interface BindLimiterMetricsOptions {
  /** How often resident memory is sampled while exports run. Default 1000 ms. */
  memorySampleIntervalMs?: number;
  /** Default `process.memoryUsage.rss`. */
  residentMemory?: () => number;
}

const limiterEvents = ['queued', 'started', 'settled', 'rejected'] as const;

/**
 * Keeps the running and queue-depth gauges equal to the limiter's own counts, and samples
 * resident memory while at least one export runs. Returns a function that unbinds it all.
 */
export function bindLimiterMetrics(
  metrics: ExportMetrics,
  limiter: ObservableLimiter,
  options: BindLimiterMetricsOptions = {},
): () => void {
  const intervalMs = options.memorySampleIntervalMs ?? 1000;
  const residentMemory = options.residentMemory ?? (() => process.memoryUsage.rss());
  let sampler: NodeJS.Timeout | undefined;
  const sampleMemory = () => metrics.memoryBytes.set(residentMemory());

  const update = () => {
    const { running, queued } = limiter.stats();
    metrics.concurrentRunning.set(running);
    metrics.queueDepth.set(queued);
    if (running > 0) {
      sampleMemory();
      if (!sampler) {
        sampler = setInterval(sampleMemory, intervalMs);
        sampler.unref();
      }
    } else if (sampler) {
      clearInterval(sampler);
      sampler = undefined;
    }
  };

  for (const event of limiterEvents) limiter.on(event, update);
  update();
  return () => {
    for (const event of limiterEvents) limiter.off(event, update);
    if (sampler) clearInterval(sampler);
    sampler = undefined;
  };
}

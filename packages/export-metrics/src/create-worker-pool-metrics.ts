import { Gauge, type Registry } from 'prom-client';
import { workerPoolMetricNames } from './metric-names.js';
import { checkReadOptions, isCountSample } from './option-checks.js';

/** The state of the process's export pool, as the pool keeps it in memory. */
export interface WorkerPoolMetricsSample {
  /** Worker threads in the pool: its configured size while it runs. */
  workers: number;
  /** Worker threads running at least one export now. */
  busy: number;
}

export interface WorkerPoolMetricsOptions {
  /** The registry to register on; never the global one unless passed in. */
  registry: Registry;
  /** Reads the pool's state; synchronous (the pool keeps it in memory), called once per scrape. */
  read: () => WorkerPoolMetricsSample;
}

export interface WorkerPoolMetrics {
  readonly registry: Registry;
  readonly workers: Gauge;
  readonly busy: Gauge;
}

const sampleFields = ['workers', 'busy'] as const;

/**
 * Worker pool gauges that are read when the registry is scraped: one `read()` per scrape feeds
 * both, so they always come from the same state. A read that throws (or returns something that
 * is not a sample) leaves both gauges without a sample for that scrape; the scrape succeeds.
 */
export function createWorkerPoolMetrics(options: WorkerPoolMetricsOptions): WorkerPoolMetrics {
  const { registry, read } = checkReadOptions(options);
  const registers = [registry];
  // prom-client calls the collect of every family of a scrape in one synchronous pass: the first
  // call reads for both gauges, and the flag is cleared once that pass is over.
  let readThisScrape = false;
  const collect = () => {
    if (readThisScrape) return;
    readThisScrape = true;
    queueMicrotask(() => {
      readThisScrape = false;
    });
    readAndSet();
  };

  const metrics: WorkerPoolMetrics = {
    registry,
    workers: new Gauge({
      name: workerPoolMetricNames.workers,
      help: 'Worker threads in the export pool, read from the pool at scrape.',
      registers,
      collect,
    }),
    busy: new Gauge({
      name: workerPoolMetricNames.busy,
      help: 'Worker threads of the export pool running at least one export, read at scrape.',
      registers,
      collect,
    }),
  };

  function readAndSet(): void {
    let sample: unknown;
    try {
      sample = read();
    } catch {
      sample = undefined;
    }
    if (!isCountSample(sample, sampleFields)) {
      // A promise from an async read by mistake: it is no sample, and must not reject unhandled.
      if (isPromiseLike(sample)) sample.then(undefined, () => {});
      // An unlabelled gauge's reset() would serve 0, a value; remove({}) serves no sample.
      metrics.workers.remove({});
      metrics.busy.remove({});
      return;
    }
    metrics.workers.set(sample.workers);
    metrics.busy.set(sample.busy);
  }

  return metrics;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

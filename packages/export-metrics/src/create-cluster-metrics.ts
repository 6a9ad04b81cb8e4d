import { Counter, Gauge, type Registry } from 'prom-client';
import { clusterMetricNames } from './metric-names.js';
import { checkReadOptions, isCountSample } from './option-checks.js';

/**
 * The state of the whole cluster, as every replica reads it from the shared queue. In the
 * limiter's words (`running`, `queued`, `maxConcurrent`, `maxQueue`), so a cluster state passes
 * straight in.
 */
export interface ClusterMetricsSample {
  /** Exports running on any replica. */
  running: number;
  /** Exports waiting in the cluster's queue. */
  queued: number;
  /** EXPORT_CLUSTER_MAX_CONCURRENT. */
  maxConcurrent: number;
  /** EXPORT_CLUSTER_MAX_QUEUE. */
  maxQueue: number;
}

export interface ClusterMetricsOptions {
  /** The registry to register on; never the global one unless passed in. */
  registry: Registry;
  /**
   * Reads the cluster state; called once per scrape. It should bound its own time (a command
   * timeout): a read that never settles holds the whole scrape.
   */
  read: () => Promise<ClusterMetricsSample>;
}

export interface ClusterMetrics {
  readonly registry: Registry;
  readonly queueDepth: Gauge;
  readonly running: Gauge;
  readonly concurrentLimit: Gauge;
  readonly queueCapacity: Gauge;
  readonly readFailuresTotal: Counter;
}

const sampleFields = ['running', 'queued', 'maxConcurrent', 'maxQueue'] as const;

/**
 * Cluster gauges that are read when the registry is scraped: one `read()` per scrape feeds all
 * four. A read that fails (or returns something that is not a sample) leaves the gauges without
 * a sample for that scrape and counts one read failure; the scrape itself succeeds.
 */
export function createClusterMetrics(options: ClusterMetricsOptions): ClusterMetrics {
  const { registry, read } = checkReadOptions(options);
  const registers = [registry];
  // prom-client collects every family of a scrape at once, so the families that start
  // collecting while a read is in flight share it; the next scrape starts a new one.
  let readInFlight: Promise<void> | undefined;
  const collect = () => {
    readInFlight ??= readAndSet().finally(() => {
      readInFlight = undefined;
    });
    return readInFlight;
  };

  const metrics: ClusterMetrics = {
    registry,
    queueDepth: new Gauge({
      name: clusterMetricNames.queueDepth,
      help: 'Exports waiting in the cluster queue, read from the shared queue at scrape.',
      registers,
      collect,
    }),
    running: new Gauge({
      name: clusterMetricNames.running,
      help: 'Exports running on any replica of the cluster, read from the shared queue at scrape.',
      registers,
      collect,
    }),
    concurrentLimit: new Gauge({
      name: clusterMetricNames.concurrentLimit,
      help: 'Exports that may run at once in the whole cluster.',
      registers,
      collect,
    }),
    queueCapacity: new Gauge({
      name: clusterMetricNames.queueCapacity,
      help: 'Exports that may wait in the cluster queue.',
      registers,
      collect,
    }),
    readFailuresTotal: new Counter({
      name: clusterMetricNames.readFailuresTotal,
      help: 'Scrapes whose read of the cluster state failed.',
      registers,
      // Waits for the scrape's read, so a failure is counted in the scrape that saw it.
      collect,
    }),
  };
  // The gauges keep the names of their families; the sample speaks the limiter's words.
  const gaugesBySampleField = {
    running: metrics.running,
    queued: metrics.queueDepth,
    maxConcurrent: metrics.concurrentLimit,
    maxQueue: metrics.queueCapacity,
  } as const;

  async function readAndSet(): Promise<void> {
    let sample: ClusterMetricsSample;
    try {
      sample = await read();
      if (!isCountSample(sample, sampleFields)) throw new TypeError('not a cluster metrics sample');
    } catch {
      // An unlabelled gauge's reset() would serve 0, a value; remove({}) serves no sample.
      for (const gauge of Object.values(gaugesBySampleField)) gauge.remove({});
      metrics.readFailuresTotal.inc();
      return;
    }
    for (const field of sampleFields) gaugesBySampleField[field].set(sample[field]);
  }

  return metrics;
}

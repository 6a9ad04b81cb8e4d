/** The metric family names, fixed by Prometheus conventions: base units, `_total` counters. */
export const exportMetricNames = Object.freeze({
  requestsTotal: 'export_requests_total',
  durationSeconds: 'export_duration_seconds',
  queueWaitSeconds: 'export_queue_wait_seconds',
  rowsTotal: 'export_rows_total',
  bytesTotal: 'export_bytes_total',
  failTotal: 'export_fail_total',
  droppedFieldsTotal: 'export_dropped_fields_total',
  truncatedCellsTotal: 'export_truncated_cells_total',
  concurrentRunning: 'export_concurrent_running',
  queueDepth: 'export_queue_depth',
  memoryBytes: 'export_memory_bytes',
  concurrentLimit: 'export_concurrent_limit',
  queueCapacity: 'export_queue_capacity',
});

export type ExportMetricName = (typeof exportMetricNames)[keyof typeof exportMetricNames];

/**
 * The cluster families, read from the shared queue at scrape: every replica exposes the same
 * values, so queries take `max without (instance)` of them.
 */
export const clusterMetricNames = Object.freeze({
  queueDepth: 'export_cluster_queue_depth',
  running: 'export_cluster_running',
  concurrentLimit: 'export_cluster_concurrent_limit',
  queueCapacity: 'export_cluster_queue_capacity',
  readFailuresTotal: 'export_cluster_read_failures_total',
});

export type ClusterMetricName = (typeof clusterMetricNames)[keyof typeof clusterMetricNames];

/**
 * The worker pool families, read from the process's export pool at scrape. About this process
 * only, like the `export_*` families: queries sum or compare them per instance.
 */
export const workerPoolMetricNames = Object.freeze({
  workers: 'export_workers',
  busy: 'export_workers_busy',
});

export type WorkerPoolMetricName =
  (typeof workerPoolMetricNames)[keyof typeof workerPoolMetricNames];

/** The completion webhook families: one count per delivery attempt, by how it went. */
export const webhookMetricNames = Object.freeze({
  deliveriesTotal: 'export_webhook_deliveries_total',
});

export type WebhookMetricName = (typeof webhookMetricNames)[keyof typeof webhookMetricNames];

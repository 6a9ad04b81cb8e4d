export {
  type BindLimiterMetricsOptions,
  bindLimiterMetrics,
  type ObservableLimiter,
} from './bind-limiter-metrics.js';
export { classifyExportError, type ExportErrorClass } from './classify-export-error.js';
export {
  type ClusterMetrics,
  type ClusterMetricsOptions,
  type ClusterMetricsSample,
  createClusterMetrics,
} from './create-cluster-metrics.js';
export {
  createExportMetrics,
  type ExportMetrics,
  type ExportMetricsOptions,
  exportDurationBuckets,
} from './create-export-metrics.js';
export {
  createWebhookMetrics,
  type WebhookMetrics,
  type WebhookMetricsOptions,
  type WebhookOutcomeLabel,
  webhookOutcomeLabelValues,
} from './create-webhook-metrics.js';
export {
  createWorkerPoolMetrics,
  type WorkerPoolMetrics,
  type WorkerPoolMetricsOptions,
  type WorkerPoolMetricsSample,
} from './create-worker-pool-metrics.js';
export {
  ExportMetricsError,
  type ExportMetricsErrorCode,
  exportMetricsErrorCodes,
} from './errors.js';
export {
  type FailReasonLabel,
  type FormatLabel,
  failReasonLabelValues,
  formatLabelValues,
  type OutcomeLabel,
  outcomeLabelValues,
  toLabelValue,
} from './label-values.js';
export {
  type ClusterMetricName,
  clusterMetricNames,
  type ExportMetricName,
  exportMetricNames,
  type WebhookMetricName,
  type WorkerPoolMetricName,
  webhookMetricNames,
  workerPoolMetricNames,
} from './metric-names.js';
export {
  type MarkStarted,
  type ObservedExportResult,
  observeExport,
} from './observe-export.js';

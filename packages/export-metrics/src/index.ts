export {
  createExportMetrics,
  type ExportMetrics,
  type ExportMetricsOptions,
  exportDurationBuckets,
} from './create-export-metrics.js';
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
export { type ExportMetricName, exportMetricNames } from './metric-names.js';

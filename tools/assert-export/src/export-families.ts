import type { ExportMetricName, FormatLabel, OutcomeLabel } from '@org/export-metrics';

/**
 * The families @org/export-metrics registers, copied rather than imported so that the built CLI
 * has no runtime dependency (importing the package would load prom-client). `satisfies` catches
 * a renamed family at typecheck; export-families.test.ts catches one added to the package.
 */
export const exportFamilyNames = [
  'export_requests_total',
  'export_duration_seconds',
  'export_queue_wait_seconds',
  'export_rows_total',
  'export_bytes_total',
  'export_fail_total',
  'export_concurrent_running',
  'export_queue_depth',
  'export_memory_bytes',
  'export_concurrent_limit',
  'export_queue_capacity',
  'export_dropped_fields_total',
  'export_truncated_cells_total',
] as const satisfies readonly ExportMetricName[];

export const successOutcome = 'success' satisfies OutcomeLabel;
/** Refused with 429 because the queue was full: load shedding rather than a broken export. */
export const rejectedOutcome = 'rejected' satisfies OutcomeLabel;

/**
 * The formats an export's `format` label names, for `--format`; the package's `other` (a format
 * it does not know) is not one. export-families.test.ts catches a format added to the package.
 */
export const exportFormatLabels = ['csv', 'pdf', 'xlsx'] as const satisfies readonly FormatLabel[];

export type ExportFormatLabel = (typeof exportFormatLabels)[number];

import { classifyExportError } from './classify-export-error.js';
import type { ExportMetrics } from './create-export-metrics.js';
import { formatLabelValues, toLabelValue } from './label-values.js';

export interface ObservedExportResult {
  rows: number;
  bytes: number;
  /** Fields no column took, counted by `export_dropped_fields_total`. */
  droppedFields?: { count: number };
  /** PDF cells cut to fit, counted by `export_truncated_cells_total`. */
  truncatedCells?: { count: number };
}

/** Call when the export leaves the queue and starts: ends the queue wait, starts the duration. */
export type MarkStarted = () => void;

/**
 * One export, observed end to end: queue wait, duration, rows, bytes and its outcome. The body
 * calls `markStarted` when its slot is granted (first thing in the limiter task); whatever it
 * resolves or rejects with is counted, then passed through unchanged.
 *
 *   const result = await observeExport(metrics, format, (markStarted) =>
 *     limiter.run((signal) => { markStarted(); return runExport({ ...options, signal }); }, { key }));
 */
export async function observeExport<Result extends ObservedExportResult>(
  metrics: ExportMetrics,
  format: unknown,
  body: (markStarted: MarkStarted) => Promise<Result>,
  now: () => number = () => performance.now(),
): Promise<Result> {
  const labels = { format: toLabelValue(formatLabelValues, format) };
  const submittedAt = now();
  let startedAt: number | undefined;
  const markStarted = () => {
    if (startedAt !== undefined) return;
    startedAt = now();
    metrics.queueWaitSeconds.observe(labels, (startedAt - submittedAt) / 1000);
  };
  const observeDuration = () => {
    if (startedAt !== undefined)
      metrics.durationSeconds.observe(labels, (now() - startedAt) / 1000);
  };
  try {
    const result = await body(markStarted);
    observeDuration();
    metrics.requestsTotal.inc({ ...labels, outcome: 'success' });
    metrics.rowsTotal.inc(labels, result.rows);
    metrics.bytesTotal.inc(labels, result.bytes);
    metrics.droppedFieldsTotal.inc(labels, result.droppedFields?.count ?? 0);
    metrics.truncatedCellsTotal.inc(labels, result.truncatedCells?.count ?? 0);
    return result;
  } catch (error) {
    observeDuration();
    const { outcome, reason } = classifyExportError(error);
    metrics.requestsTotal.inc({ ...labels, outcome });
    if (reason) metrics.failTotal.inc({ ...labels, reason });
    throw error;
  }
}

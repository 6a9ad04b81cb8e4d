import type { ExportAttempt } from './send-export.js';

export interface ScenarioSummary {
  name: string;
  requests: number;
  ok: number;
  rejected: number;
  errors: number;
  rows: number;
  bytes: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  wallMs: number;
  /** The first few error messages, to print. */
  errorMessages: string[];
}

/** The nearest-rank percentile (`fraction` from 0 to 1) of the values; undefined when empty. */
export function percentile(values: readonly number[], fraction: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1];
}

/** Latencies are of the exports that succeeded: a fast 429 would flatter them. */
export function summarize(
  name: string,
  attempts: readonly ExportAttempt[],
  wallMs: number,
): ScenarioSummary {
  const succeeded = attempts.filter((attempt) => attempt.outcome === 'ok');
  const latencies = succeeded.map((attempt) => attempt.latencyMs);
  return {
    name,
    requests: attempts.length,
    ok: succeeded.length,
    rejected: attempts.filter((attempt) => attempt.outcome === 'rejected').length,
    errors: attempts.filter((attempt) => attempt.outcome === 'error').length,
    rows: succeeded.reduce((sum, attempt) => sum + attempt.rows, 0),
    bytes: succeeded.reduce((sum, attempt) => sum + attempt.bytes, 0),
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    wallMs,
    errorMessages: attempts
      .filter((attempt) => attempt.outcome === 'error')
      .slice(0, 3)
      .map((attempt) => attempt.message ?? `HTTP ${attempt.status}`),
  };
}

const columns = [
  'scenario',
  'requests',
  '200',
  '429',
  'errors',
  'rows',
  'bytes',
  'p50 ms',
  'p95 ms',
  'wall s',
];

/** A plain-text table, one line per scenario, numbers right-aligned. */
export function summaryTable(summaries: readonly ScenarioSummary[]): string {
  const rows = summaries.map((summary) => [
    summary.name,
    String(summary.requests),
    String(summary.ok),
    String(summary.rejected),
    String(summary.errors),
    summary.rows.toLocaleString('en-US'),
    formatBytes(summary.bytes),
    formatMs(summary.p50Ms),
    formatMs(summary.p95Ms),
    (summary.wallMs / 1000).toFixed(1),
  ]);
  const widths = columns.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join('  ');
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

function formatMs(value: number | undefined): string {
  return value === undefined ? '-' : String(Math.round(value));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

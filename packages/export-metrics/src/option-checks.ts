import { ExportMetricsError } from './errors.js';

export function invalidOption(message: string): ExportMetricsError {
  return new ExportMetricsError('EXPORT_METRICS_INVALID_OPTION', message);
}

/** Throws unless `registry` can hold metrics. */
export function checkRegistryOption(registry: unknown): void {
  const candidate = registry as { registerMetric?: unknown; metrics?: unknown } | null | undefined;
  // Duck-typed: a registry from another copy of prom-client works as well.
  if (typeof candidate?.registerMetric !== 'function' || typeof candidate.metrics !== 'function') {
    throw invalidOption('option `registry` must be a prom-client Registry');
  }
}

/** What an option was, for a message that says what it got: `null` apart from objects. */
export function typeOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

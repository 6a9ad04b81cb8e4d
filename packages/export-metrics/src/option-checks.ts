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

/** Checks the options of a factory whose gauges read their values through `read`. */
export function checkReadOptions<Options extends { registry: unknown; read: unknown }>(
  options: Options,
): Options {
  if (options === null || typeof options !== 'object') {
    throw invalidOption('options must be an object with a `registry` and a `read` function');
  }
  const { registry, read } = options;
  checkRegistryOption(registry);
  if (typeof read !== 'function') {
    throw invalidOption(`option \`read\` must be a function, got ${typeOf(read)}`);
  }
  return options;
}

/** Whether `value` has every one of `fields` as a finite count >= 0: a usable sample. */
export function isCountSample<Field extends string>(
  value: unknown,
  fields: readonly Field[],
): value is Record<Field, number> {
  if (value === null || typeof value !== 'object') return false;
  const counts = value as Record<string, unknown>;
  return fields.every((field) => {
    const count = counts[field];
    return typeof count === 'number' && Number.isFinite(count) && count >= 0;
  });
}

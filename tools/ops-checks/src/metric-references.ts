export interface MetricReferences {
  /** Series names the expression reads that the service must expose: `export_*`. */
  exportMetrics: string[];
  /** Names with a colon: recording rules, defined in the rules file. */
  recordingRules: string[];
  /** Whether it reads `up`, which Prometheus writes for every scrape. */
  usesUp: boolean;
}

// String literals first: label values such as "export_x" or "a:b" are not names.
const stringLiteral = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const identifier = /[A-Za-z_:][A-Za-z0-9_:]*/g;

/**
 * The metric names a PromQL expression (or a Grafana query variable) uses. Only names of this
 * service are picked out: functions, keywords and label names never start with `export_` nor
 * hold a colon.
 */
export function metricReferences(expression: string): MetricReferences {
  const names = new Set(expression.replace(stringLiteral, '""').match(identifier) ?? []);
  const sorted = [...names].sort();
  return {
    exportMetrics: sorted.filter((name) => name.startsWith('export_') && !name.includes(':')),
    recordingRules: sorted.filter((name) => name.includes(':')),
    usesUp: names.has('up'),
  };
}

/** The `up` selectors of an expression, e.g. `up{job="export-executor"}`. */
export function upSelectors(expression: string): string[] {
  return expression.match(/(?<![A-Za-z0-9_:])up\s*(\{[^}]*\})?/g) ?? [];
}

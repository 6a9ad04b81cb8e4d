const decimalNumber = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const infinity = /^([+-]?)inf(?:inity)?$/i;
const notANumber = /^nan$/i;

/**
 * A sample value or an `le` bound as Prometheus reads them (Go's ParseFloat without hex floats
 * or underscores): `1`, `-0.5`, `1.5e-3`, `+Inf`, `-Inf`, `NaN`. Undefined for anything else,
 * including the empty string that `Number()` would read as 0.
 */
export function parsePrometheusFloat(text: string): number | undefined {
  if (decimalNumber.test(text)) return Number(text);
  const infinite = infinity.exec(text);
  if (infinite) return infinite[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (notANumber.test(text)) return Number.NaN;
  return undefined;
}

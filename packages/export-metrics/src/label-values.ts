/**
 * Label values come from fixed sets so that no user input can ever become a time series.
 * Anything outside a set is recorded as `other`.
 */
export const formatLabelValues = ['csv', 'pdf', 'xlsx', 'other'] as const;
export const outcomeLabelValues = ['success', 'failure', 'rejected', 'cancelled', 'other'] as const;
export const failReasonLabelValues = [
  'validation',
  'source',
  'write',
  'timeout',
  'memory',
  'disk',
  'aborted',
  'internal',
  'other',
] as const;

export type FormatLabel = (typeof formatLabelValues)[number];
export type OutcomeLabel = (typeof outcomeLabelValues)[number];
export type FailReasonLabel = (typeof failReasonLabelValues)[number];

export function toLabelValue<const Value extends string>(
  allowed: readonly Value[],
  value: unknown,
): Value | 'other' {
  return allowed.includes(value as Value) ? (value as Value) : 'other';
}

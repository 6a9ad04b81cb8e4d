import { describe, expect, it } from 'vitest';
import {
  failReasonLabelValues,
  formatLabelValues,
  outcomeLabelValues,
  toLabelValue,
} from './label-values.js';

describe('the fixed label sets', () => {
  // The docs (README, docs/metrics.md) list these sets: change them together.
  it('are the documented values, each with other', () => {
    expect(formatLabelValues).toEqual(['csv', 'pdf', 'xlsx', 'other']);
    expect(outcomeLabelValues).toEqual(['success', 'failure', 'rejected', 'cancelled', 'other']);
    expect(failReasonLabelValues).toEqual([
      'validation',
      'source',
      'write',
      'timeout',
      'memory',
      'disk',
      'aborted',
      'internal',
      'other',
    ]);
  });
});

describe('toLabelValue', () => {
  it('keeps a value from the fixed set', () => {
    expect(toLabelValue(formatLabelValues, 'pdf')).toBe('pdf');
    expect(toLabelValue(failReasonLabelValues, 'timeout')).toBe('timeout');
    expect(toLabelValue(failReasonLabelValues, 'memory')).toBe('memory');
  });

  it('maps anything else, including user input, to other', () => {
    expect(toLabelValue(formatLabelValues, 'alice')).toBe('other');
    expect(toLabelValue(formatLabelValues, 'CSV')).toBe('other');
    expect(toLabelValue(formatLabelValues, undefined)).toBe('other');
    expect(toLabelValue(formatLabelValues, { toString: () => 'csv' })).toBe('other');
  });
});

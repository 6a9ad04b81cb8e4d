import { describe, expect, it } from 'vitest';
import { failReasonLabelValues, formatLabelValues, toLabelValue } from './label-values.js';

describe('toLabelValue', () => {
  it('keeps a value from the fixed set', () => {
    expect(toLabelValue(formatLabelValues, 'pdf')).toBe('pdf');
    expect(toLabelValue(failReasonLabelValues, 'timeout')).toBe('timeout');
  });

  it('maps anything else, including user input, to other', () => {
    expect(toLabelValue(formatLabelValues, 'alice')).toBe('other');
    expect(toLabelValue(formatLabelValues, 'CSV')).toBe('other');
    expect(toLabelValue(formatLabelValues, undefined)).toBe('other');
    expect(toLabelValue(formatLabelValues, { toString: () => 'csv' })).toBe('other');
  });
});

import { exportMetricNames, formatLabelValues, outcomeLabelValues } from '@org/export-metrics';
import { describe, expect, it } from 'vitest';
import {
  exportFamilyNames,
  exportFormatLabels,
  rejectedOutcome,
  successOutcome,
} from './export-families.js';

describe('the export families the tool requires', () => {
  it('are exactly the families @org/export-metrics registers', () => {
    expect([...exportFamilyNames].sort()).toEqual(Object.values(exportMetricNames).sort());
  });

  it('name outcomes that @org/export-metrics records', () => {
    expect(outcomeLabelValues).toContain(successOutcome);
    expect(outcomeLabelValues).toContain(rejectedOutcome);
  });

  it('take as --format every format @org/export-metrics labels, and not its `other`', () => {
    expect([...exportFormatLabels, 'other'].sort()).toEqual([...formatLabelValues].sort());
  });
});

import { describe, expect, it } from 'vitest';
import { exposedFamilies, exposedSeriesNames } from '../src/exposition.js';

const exposition = [
  '# HELP export_duration_seconds Time.',
  '# TYPE export_duration_seconds histogram',
  'export_duration_seconds_bucket{le="+Inf",format="csv"} 1',
  '# HELP export_fail_total Failed exports.',
  '# TYPE export_fail_total counter',
  '# HELP export_queue_depth Waiting.',
  '# TYPE export_queue_depth gauge',
  'export_queue_depth 0',
  '',
].join('\n');

describe('exposedSeriesNames', () => {
  it('offers the _bucket, _sum and _count of a histogram, not its bare name', () => {
    const names = exposedSeriesNames(exposition);
    for (const name of [
      'export_duration_seconds_bucket',
      'export_duration_seconds_sum',
      'export_duration_seconds_count',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    expect(names.has('export_duration_seconds')).toBe(false);
  });

  it('offers a declared counter that has no sample yet', () => {
    expect(exposedSeriesNames(exposition).has('export_fail_total')).toBe(true);
  });

  it('offers the name of a sample without labels', () => {
    expect(exposedSeriesNames(exposition).has('export_queue_depth')).toBe(true);
  });
});

describe('exposedFamilies', () => {
  it('maps each declared family to its type', () => {
    expect(Object.fromEntries(exposedFamilies(exposition))).toEqual({
      export_duration_seconds: 'histogram',
      export_fail_total: 'counter',
      export_queue_depth: 'gauge',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { metricReferences, upSelectors } from '../src/metric-references.js';

describe('metricReferences', () => {
  it('finds the export_ series an expression reads, once each and sorted', () => {
    const expression =
      'sum by (format) (rate(export_rows_total[5m])) / sum(rate(export_bytes_total[5m])) + export_rows_total';
    expect(metricReferences(expression).exportMetrics).toEqual([
      'export_bytes_total',
      'export_rows_total',
    ]);
  });

  it('keeps histogram series as written, with their suffix', () => {
    const expression =
      'histogram_quantile(0.95, sum by (le) (rate(export_duration_seconds_bucket[$__rate_interval])))';
    expect(metricReferences(expression).exportMetrics).toEqual(['export_duration_seconds_bucket']);
  });

  it('sets recording rules apart by their colon', () => {
    const { exportMetrics, recordingRules } = metricReferences(
      'export:duration_seconds:p95_10m > 60 and export_concurrent_running > 0',
    );
    expect(recordingRules).toEqual(['export:duration_seconds:p95_10m']);
    expect(exportMetrics).toEqual(['export_concurrent_running']);
  });

  it('ignores names inside label values', () => {
    const { exportMetrics, recordingRules } = metricReferences(
      'export_fail_total{reason="export_thing", note=\'a:b\'}',
    );
    expect(exportMetrics).toEqual(['export_fail_total']);
    expect(recordingRules).toEqual([]);
  });

  it('tells whether up is read, and not from a longer name', () => {
    expect(metricReferences('up{job="export-executor"} == 0').usesUp).toBe(true);
    expect(metricReferences('export_up_total + backup').usesUp).toBe(false);
  });
});

describe('upSelectors', () => {
  it('returns each up selector with its matchers', () => {
    expect(upSelectors('up{job="export-executor"} == 0 or sum(up)')).toEqual([
      'up{job="export-executor"}',
      'up',
    ]);
  });
});

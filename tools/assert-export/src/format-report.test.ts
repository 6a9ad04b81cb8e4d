import { describe, expect, it } from 'vitest';
import type { AssertionResult } from './assertions.js';
import { formatJsonReport, formatTextReport } from './format-report.js';

const metricsUrl = 'http://127.0.0.1:4001/export/metrics';

const passing: AssertionResult = {
  name: 'p95 duration',
  passed: true,
  value: 0.42,
  measured: '0.42 s',
  threshold: '<= 10 s',
};
const failing: AssertionResult = {
  name: 'bytes written',
  passed: false,
  value: 0,
  measured: '0 bytes',
  threshold: '> 0',
};

describe('formatTextReport', () => {
  it('prints PASS or FAIL, the name, the measurement and the threshold, names aligned', () => {
    expect(formatTextReport({ metricsUrl, results: [passing, failing] }).split('\n')).toEqual([
      'PASS  p95 duration   0.42 s (<= 10 s)',
      'FAIL  bytes written  0 bytes (> 0)',
      `1 of 2 assertions failed for ${metricsUrl}`,
      '',
    ]);
  });

  it('ends with a summary line when all passed', () => {
    expect(formatTextReport({ metricsUrl, results: [passing] })).toBe(
      `PASS  p95 duration  0.42 s (<= 10 s)\nall 1 assertions passed for ${metricsUrl}\n`,
    );
  });
});

describe('formatJsonReport', () => {
  it('prints one JSON object with the URL, the verdict, a summary and every assertion', () => {
    expect(JSON.parse(formatJsonReport({ metricsUrl, results: [passing, failing] }))).toEqual({
      url: metricsUrl,
      passed: false,
      summary: { total: 2, passed: 1, failed: 1 },
      assertions: [passing, failing],
    });
  });

  it('writes a value JSON cannot hold as null', () => {
    const infinite = { ...passing, value: Number.POSITIVE_INFINITY };
    const report = JSON.parse(formatJsonReport({ metricsUrl, results: [infinite] }));
    expect(report.assertions[0].value).toBeNull();
  });
});

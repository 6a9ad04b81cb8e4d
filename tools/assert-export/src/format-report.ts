import type { AssertionResult } from './assertions.js';

export interface Report {
  readonly metricsUrl: string;
  readonly results: readonly AssertionResult[];
}

/** One `PASS  <name>  <measured> (<threshold>)` line per assertion, then a summary line. */
export function formatTextReport({ metricsUrl, results }: Report): string {
  const nameWidth = Math.max(...results.map((result) => result.name.length));
  const lines = results.map(
    (result) =>
      `${result.passed ? 'PASS' : 'FAIL'}  ${result.name.padEnd(nameWidth)}  ${result.measured} (${result.threshold})`,
  );
  const failed = results.filter((result) => !result.passed).length;
  lines.push(
    failed === 0
      ? `all ${results.length} assertions passed for ${metricsUrl}`
      : `${failed} of ${results.length} assertions failed for ${metricsUrl}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The same as one JSON object; a value that JSON cannot hold (NaN, ±Inf) becomes null. */
export function formatJsonReport({ metricsUrl, results }: Report): string {
  const failed = results.filter((result) => !result.passed).length;
  const report = {
    url: metricsUrl,
    passed: failed === 0,
    summary: { total: results.length, passed: results.length - failed, failed },
    assertions: results,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type HistogramBucket, histogramQuantile } from './histogram-quantile.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

function buckets(...pairs: Array<[number, number]>): HistogramBucket[] {
  return pairs.map(([upperBound, count]) => ({ upperBound, count }));
}

const inf = Number.POSITIVE_INFINITY;

// Each expected value is what promtool 2.42 computes for
// `histogram_quantile(q, sum by (le) (h_bucket))` over the same buckets (see the promtool test).
const promtoolCases: Array<[string, number, HistogramBucket[], number]> = [
  [
    'the healthy fixture, rank inside the 0.5 to 1 s bucket',
    0.95,
    buckets(
      [0.01, 100],
      [0.025, 300],
      [0.05, 520],
      [0.1, 710],
      [0.25, 890],
      [0.5, 940],
      [1, 970],
      [2.5, 986],
      [5, 991],
      [10, 993],
      [30, 993],
      [60, 993],
      [120, 993],
      [300, 993],
      [inf, 993],
    ),
    0.5558333333333318,
  ],
  [
    'the slow fixture, rank inside the 10 to 30 s bucket',
    0.95,
    buckets(
      [0.01, 0],
      [0.025, 0],
      [0.05, 0],
      [0.1, 0],
      [0.25, 5],
      [0.5, 20],
      [1, 60],
      [2.5, 160],
      [5, 330],
      [10, 550],
      [30, 950],
      [60, 983],
      [120, 993],
      [300, 993],
      [inf, 993],
    ),
    29.667499999999997,
  ],
  ['a few exports', 0.95, buckets([0.01, 2], [0.025, 3], [0.05, 3], [0.1, 4], [inf, 4]), 0.09],
  [
    'a rank in the +Inf bucket: the highest finite bound',
    0.95,
    buckets([1, 1], [2, 2], [inf, 10]),
    2,
  ],
  ['a rank in the lowest bucket: it starts at 0', 0.5, buckets([4, 10], [8, 20], [inf, 20]), 4],
  ['a lowest bucket with a bound <= 0: that bound', 0.25, buckets([-1, 5], [0, 10], [inf, 10]), -1],
  [
    'counts that dip are raised to the largest below',
    0.5,
    buckets([1, 5], [2, 3], [4, 10], [inf, 10]),
    1,
  ],
  [
    'a quantile of 1: the bucket the last observation is in',
    1,
    buckets([1, 2], [2, 5], [inf, 5]),
    2,
  ],
  [
    'bounds written with exponents',
    0.9,
    buckets([1e-3, 1], [2.5e-1, 9], [1e1, 10], [inf, 10]),
    0.25,
  ],
  [
    'series with the same bound are added together',
    0.5,
    buckets([1, 3], [1, 3], [2, 10], [inf, 10]),
    0.8333333333333334,
  ],
];

describe('histogramQuantile', () => {
  it.each(promtoolCases)('computes what PromQL does for %s', (_, quantile, input, expected) => {
    expect(histogramQuantile(quantile, input)).toBe(expected);
  });

  it('sorts the buckets by bound first', () => {
    expect(histogramQuantile(0.5, buckets([inf, 20], [8, 20], [4, 10]))).toBe(4);
  });

  it.each([
    ['no +Inf bucket', buckets([1, 3], [2, 5])],
    ['only the +Inf bucket', buckets([inf, 5])],
    ['no observations', buckets([1, 0], [inf, 0])],
    ['no buckets', []],
    ['a quantile of 0 over an empty lowest bucket (0/0)', buckets([1, 0], [2, 5], [inf, 5])],
  ])('has no value with %s', (name, input) => {
    const quantile = name.startsWith('a quantile of 0') ? 0 : 0.5;
    expect(histogramQuantile(quantile, input)).toBeUndefined();
  });

  it('answers -Inf below quantile 0, +Inf above 1 and nothing for NaN, as PromQL does', () => {
    const input = buckets([1, 1], [inf, 1]);
    expect(histogramQuantile(-0.5, input)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.5, input)).toBe(Number.POSITIVE_INFINITY);
    expect(histogramQuantile(Number.NaN, input)).toBeUndefined();
  });

  // .ci/run installs Debian's prometheus package, so CI runs this; elsewhere the values above
  // are the ones promtool printed.
  it.skipIf(!hasPromtool)('matches promtool test rules on every case above', () => {
    const folder = mkdtempSync(join(tmpdir(), 'histogram-quantile-'));
    try {
      for (const [name, quantile, input] of promtoolCases) {
        const file = join(folder, 'test.yml');
        writeFileSync(file, promtoolTest(quantile, input, histogramQuantile(quantile, input)));
        const result = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
        expect(result.status, `${name}:\n${result.stdout}${result.stderr}`).toBe(0);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** A promtool unit test that passes only if PromQL computes `expected` over these buckets. */
function promtoolTest(
  quantile: number,
  input: readonly HistogramBucket[],
  expected: number | undefined,
): string {
  const series = input.map(
    ({ upperBound, count }, index) =>
      `      - series: 'h_bucket{le="${upperBound === inf ? '+Inf' : upperBound}",series="${index}"}'\n        values: '${count}'`,
  );
  return [
    'tests:',
    '  - interval: 1m',
    '    input_series:',
    ...series,
    '    promql_expr_test:',
    `      - expr: histogram_quantile(${quantile}, sum by (le) (h_bucket))`,
    '        eval_time: 0m',
    '        exp_samples:',
    `          - value: ${expected}`,
    '',
  ].join('\n');
}

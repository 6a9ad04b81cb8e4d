import { describe, expect, it } from 'vitest';
import { type AssertionResult, evaluateAssertions, type Thresholds } from './assertions.js';
import { parseExposition } from './parse-exposition.js';
import { type FixtureName, readFixture } from './test-helpers/read-fixture.js';

const defaults: Thresholds = {
  p95Seconds: 10,
  minSuccess: 0.95,
  excludeRejected: false,
  formats: [],
};

function evaluate(fixture: FixtureName, thresholds: Partial<Thresholds> = {}): AssertionResult[] {
  return evaluateAssertions(parseExposition(readFixture(fixture)), { ...defaults, ...thresholds });
}

function failedNames(results: readonly AssertionResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => result.name);
}

function resultNamed(results: readonly AssertionResult[], name: string): AssertionResult {
  const result = results.find((candidate) => candidate.name === name);
  if (!result) throw new Error(`no assertion named ${name}`);
  return result;
}

describe('evaluateAssertions on a healthy service', () => {
  it('passes every assertion, each with its measurement and threshold', () => {
    expect(evaluate('healthy')).toEqual([
      {
        name: 'export families',
        passed: true,
        value: 13,
        measured: 'all 13 export families present',
        threshold: '13 of 13',
      },
      {
        name: 'p95 duration',
        passed: true,
        value: 0.5558333333333318,
        measured: '0.5558 s',
        threshold: '<= 10 s',
      },
      {
        name: 'success ratio',
        passed: true,
        value: 0.99,
        measured: '0.99 = 990/1000',
        threshold: '>= 0.95',
      },
      {
        name: 'running within limit',
        passed: true,
        value: 3,
        measured: '3 running',
        threshold: '<= limit 5',
      },
      {
        name: 'queue within capacity',
        passed: true,
        value: 12,
        measured: '12 queued',
        threshold: '<= capacity 100',
      },
      {
        name: 'bytes written',
        passed: true,
        value: 47940000,
        measured: '47940000 bytes',
        threshold: '> 0',
      },
    ]);
  });

  it('holds the p95 to --p95-seconds, inclusive', () => {
    expect(failedNames(evaluate('healthy', { p95Seconds: 0.5 }))).toEqual(['p95 duration']);
    expect(failedNames(evaluate('healthy', { p95Seconds: 0.5558333333333318 }))).toEqual([]);
  });

  it('holds the success ratio to --min-success, inclusive', () => {
    expect(failedNames(evaluate('healthy', { minSuccess: 0.991 }))).toEqual(['success ratio']);
    expect(failedNames(evaluate('healthy', { minSuccess: 0.99 }))).toEqual([]);
  });
});

describe('evaluateAssertions on a failing service', () => {
  it('fails only the p95 when exports are slow', () => {
    const results = evaluate('slow-p95');
    expect(failedNames(results)).toEqual(['p95 duration']);
    expect(resultNamed(results, 'p95 duration')).toMatchObject({
      value: 29.667499999999997,
      measured: '29.67 s',
    });
  });

  it('fails the success ratio when failures and rejections pass 5%', () => {
    const results = evaluate('low-success');
    expect(failedNames(results)).toEqual(['success ratio']);
    expect(resultNamed(results, 'success ratio')).toMatchObject({
      value: 0.9,
      measured: '0.9 = 900/1000',
    });
  });

  it('leaves rejected requests out of the ratio with --exclude-rejected', () => {
    const results = evaluate('low-success', { excludeRejected: true });
    expect(failedNames(results)).toEqual([]);
    expect(resultNamed(results, 'success ratio')).toMatchObject({
      value: 900 / 920,
      measured: '0.9783 = 900/920, 80 rejected left out',
    });
  });

  it('fails when more exports run than the limit allows', () => {
    const results = evaluate('running-over-limit');
    expect(failedNames(results)).toEqual(['running within limit']);
    expect(resultNamed(results, 'running within limit')).toMatchObject({
      measured: '6 running',
      threshold: '<= limit 5',
    });
  });

  it('fails when more exports wait than the queue holds', () => {
    const results = evaluate('queue-over-capacity');
    expect(failedNames(results)).toEqual(['queue within capacity']);
    expect(resultNamed(results, 'queue within capacity')).toMatchObject({
      measured: '101 queued',
      threshold: '<= capacity 100',
    });
  });

  it('fails when exports wrote no bytes', () => {
    const results = evaluate('zero-bytes');
    expect(failedNames(results)).toEqual(['bytes written']);
    expect(resultNamed(results, 'bytes written')).toMatchObject({ value: 0, measured: '0 bytes' });
  });

  it('fails the families check, naming the family that is missing', () => {
    const results = evaluate('missing-family');
    expect(failedNames(results)).toEqual(['export families']);
    expect(resultNamed(results, 'export families')).toMatchObject({
      value: 12,
      measured: '12 of 13 export families present, missing export_memory_bytes',
    });
  });
});

describe('evaluateAssertions with --format', () => {
  it('holds each listed format to the thresholds on its own, after the checks over all exports', () => {
    const results = evaluate('healthy', { formats: ['csv', 'pdf'], excludeRejected: true });
    expect(results.slice(0, 6).map((result) => result.name)).toEqual(
      evaluate('healthy').map((result) => result.name),
    );
    expect(results.slice(6)).toEqual([
      {
        name: 'csv p95 duration',
        passed: true,
        value: expect.closeTo(0.25 + (0.25 * 19.25) / 30, 12),
        measured: '0.4104 s',
        threshold: '<= 10 s',
      },
      {
        name: 'csv success ratio',
        passed: true,
        value: 912 / 915,
        measured: '0.9967 = 912/915, 0 rejected left out',
        threshold: '>= 0.95',
      },
      {
        name: 'csv bytes written',
        passed: true,
        value: 45600000,
        measured: '45600000 bytes',
        threshold: '> 0',
      },
      {
        name: 'pdf p95 duration',
        passed: true,
        value: expect.closeTo(1 + (1.5 * 4.1) / 6, 12),
        measured: '2.025 s',
        threshold: '<= 10 s',
      },
      {
        name: 'pdf success ratio',
        passed: true,
        value: 1,
        measured: '1 = 78/78, 7 rejected left out',
        threshold: '>= 0.95',
      },
      {
        name: 'pdf bytes written',
        passed: true,
        value: 2340000,
        measured: '2340000 bytes',
        threshold: '> 0',
      },
    ]);
  });

  it('fails a format that the totals let through', () => {
    const results = evaluate('healthy', { formats: ['pdf', 'csv'], p95Seconds: 1 });
    expect(failedNames(results)).toEqual(['pdf p95 duration', 'pdf success ratio']);
    expect(resultNamed(results, 'pdf success ratio')).toMatchObject({
      value: 78 / 85,
      measured: '0.9176 = 78/85',
    });
  });

  it('fails a listed format that no export used, saying so', () => {
    const results = evaluate('healthy', { formats: ['xlsx'] });
    expect(failedNames(results)).toEqual([
      'xlsx p95 duration',
      'xlsx success ratio',
      'xlsx bytes written',
    ]);
    expect(results.slice(6).map((result) => result.measured)).toEqual([
      'n/a (no xlsx exports observed)',
      'n/a (no xlsx export requests observed)',
      '0 bytes (no xlsx exports observed)',
    ]);
  });
});

describe('evaluateAssertions on a service that has run no export yet', () => {
  const results = evaluate('no-exports');

  it('counts the families that have only their # TYPE line as present', () => {
    expect(resultNamed(results, 'export families').passed).toBe(true);
  });

  it('fails the p95, the success ratio and the bytes, saying there was nothing to measure', () => {
    expect(failedNames(results)).toEqual(['p95 duration', 'success ratio', 'bytes written']);
    expect(resultNamed(results, 'p95 duration')).toMatchObject({
      value: null,
      measured: 'n/a (no exports observed)',
    });
    expect(resultNamed(results, 'success ratio')).toMatchObject({
      value: null,
      measured: 'n/a (no export requests observed)',
    });
    expect(resultNamed(results, 'bytes written').measured).toBe('0 bytes (no exports observed)');
  });
});

describe('evaluateAssertions on a partial exposition', () => {
  it('fails each check whose families are missing, and says which', () => {
    const results = evaluateAssertions(parseExposition('unrelated_metric 1\n'), defaults);
    expect(results.map((result) => [result.passed, result.measured])).toEqual([
      [
        false,
        expect.stringMatching(/^0 of 13 export families present, missing export_requests_total, /),
      ],
      [false, 'n/a (export_duration_seconds missing)'],
      [false, 'n/a (export_requests_total missing)'],
      [false, 'n/a (no export_concurrent_running sample)'],
      [false, 'n/a (no export_queue_depth sample)'],
      [false, 'n/a (export_bytes_total missing)'],
    ]);
  });

  it('fails the success ratio when every request was rejected and rejections are left out', () => {
    const exposition = parseExposition(
      '# TYPE export_requests_total counter\nexport_requests_total{format="csv",outcome="rejected"} 4\n',
    );
    const result = resultNamed(
      evaluateAssertions(exposition, { ...defaults, excludeRejected: true }),
      'success ratio',
    );
    expect(result).toMatchObject({
      passed: false,
      measured: 'n/a (4 requests, all rejected)',
    });
  });

  it('fails the p95 of a histogram without a +Inf bucket', () => {
    const exposition = parseExposition(
      '# TYPE export_duration_seconds histogram\nexport_duration_seconds_bucket{le="1"} 4\n',
    );
    expect(resultNamed(evaluateAssertions(exposition, defaults), 'p95 duration').measured).toBe(
      'n/a (export_duration_seconds has no +Inf bucket)',
    );
  });

  it('compares the sums of gauges that have several label sets', () => {
    const exposition = parseExposition(
      [
        'export_concurrent_running{instance="a"} 2',
        'export_concurrent_running{instance="b"} 2',
        'export_concurrent_limit{instance="a"} 2',
        'export_concurrent_limit{instance="b"} 1',
        '',
      ].join('\n'),
    );
    expect(
      resultNamed(evaluateAssertions(exposition, defaults), 'running within limit'),
    ).toMatchObject({
      passed: false,
      measured: '4 running',
      threshold: '<= limit 3',
    });
  });
});

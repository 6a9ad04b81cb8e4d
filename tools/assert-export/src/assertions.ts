import {
  type ExportFormatLabel,
  exportFamilyNames,
  rejectedOutcome,
  successOutcome,
} from './export-families.js';
import { histogramQuantile } from './histogram-quantile.js';
import type { Exposition } from './parse-exposition.js';
import { histogramBuckets, type LabelMatchers, samplesNamed, sumOf } from './select-samples.js';

export interface Thresholds {
  /** The p95 export duration must be at most this. */
  readonly p95Seconds: number;
  /** Successful export requests over all of them must be at least this, from 0 to 1. */
  readonly minSuccess: number;
  /** Leave `outcome="rejected"` (429, queue full) out of the success ratio's denominator. */
  readonly excludeRejected: boolean;
  /**
   * Formats held to the p95, success and bytes thresholds on their own, over the samples with
   * that `format` label, as well as all together. A listed format with no exports fails.
   */
  readonly formats: readonly ExportFormatLabel[];
}

export interface AssertionResult {
  readonly name: string;
  readonly passed: boolean;
  /** The measured number; null when there was nothing to measure. */
  readonly value: number | null;
  /** The measurement for people: `0.42 s`, `n/a (no exports observed)`. */
  readonly measured: string;
  /** What it was held to: `<= 10 s`. */
  readonly threshold: string;
}

/**
 * Judges one scrape. The counters and the duration histogram are totals since the service
 * started, not rates: the tool is meant to run once, right after a load run on a fresh service.
 */
export function evaluateAssertions(
  exposition: Exposition,
  thresholds: Thresholds,
): AssertionResult[] {
  return [
    assertFamiliesPresent(exposition),
    assertP95Duration(exposition, thresholds.p95Seconds, everyExport),
    assertSuccessRatio(exposition, thresholds, everyExport),
    assertWithin(exposition, {
      name: 'running within limit',
      measuredFamily: 'export_concurrent_running',
      limitFamily: 'export_concurrent_limit',
      unit: 'running',
      limitName: 'limit',
    }),
    assertWithin(exposition, {
      name: 'queue within capacity',
      measuredFamily: 'export_queue_depth',
      limitFamily: 'export_queue_capacity',
      unit: 'queued',
      limitName: 'capacity',
    }),
    assertBytesWritten(exposition, everyExport),
    ...thresholds.formats.flatMap((format) => {
      const scope = formatScope(format);
      return [
        assertP95Duration(exposition, thresholds.p95Seconds, scope),
        assertSuccessRatio(exposition, thresholds, scope),
        assertBytesWritten(exposition, scope),
      ];
    }),
  ];
}

/** The samples one check adds up: every export's, or one format's. */
interface Scope {
  /** Put before the check's name: `xlsx ` in `xlsx p95 duration`. */
  readonly prefix: string;
  /** What the measurements count, for `no … observed`: `exports`, `xlsx exports`. */
  readonly exports: string;
  readonly matchers: LabelMatchers;
}

const everyExport: Scope = { prefix: '', exports: 'exports', matchers: {} };

function formatScope(format: ExportFormatLabel): Scope {
  return { prefix: `${format} `, exports: `${format} exports`, matchers: { format } };
}

/** A family counts as present with samples or with its `# TYPE` line alone (an unused counter). */
function assertFamiliesPresent(exposition: Exposition): AssertionResult {
  const required = exportFamilyNames.length;
  const missing = exportFamilyNames.filter((name) => !exposition.has(name));
  const present = required - missing.length;
  return {
    name: 'export families',
    passed: missing.length === 0,
    value: present,
    measured:
      missing.length === 0
        ? `all ${required} export families present`
        : `${present} of ${required} export families present, missing ${missing.join(', ')}`,
    threshold: `${required} of ${required}`,
  };
}

function assertP95Duration(
  exposition: Exposition,
  p95Seconds: number,
  scope: Scope,
): AssertionResult {
  const family = 'export_duration_seconds';
  const name = `${scope.prefix}p95 duration`;
  const threshold = `<= ${formatNumber(p95Seconds)} s`;
  const unmeasured = (reason: string) => notMeasured(name, reason, threshold);
  if (!exposition.has(family)) return unmeasured(`${family} missing`);
  const buckets = histogramBuckets(exposition, family, scope.matchers);
  if (buckets.every((bucket) => bucket.count === 0)) {
    return unmeasured(`no ${scope.exports} observed`);
  }
  const p95 = histogramQuantile(0.95, buckets);
  if (p95 === undefined) return unmeasured(`${family} has no +Inf bucket`);
  return {
    name,
    passed: p95 <= p95Seconds,
    value: p95,
    measured: `${formatNumber(p95)} s`,
    threshold,
  };
}

function assertSuccessRatio(
  exposition: Exposition,
  thresholds: Thresholds,
  scope: Scope,
): AssertionResult {
  const family = 'export_requests_total';
  const name = `${scope.prefix}success ratio`;
  const threshold = `>= ${formatNumber(thresholds.minSuccess)}`;
  const unmeasured = (reason: string) => notMeasured(name, reason, threshold);
  if (!exposition.has(family)) return unmeasured(`${family} missing`);
  const requests = samplesNamed(exposition, family, scope.matchers);
  const successes = sumOf(requests.filter((sample) => sample.labels.outcome === successOutcome));
  const rejected = sumOf(requests.filter((sample) => sample.labels.outcome === rejectedOutcome));
  const counted = sumOf(requests) - (thresholds.excludeRejected ? rejected : 0);
  if (counted === 0) {
    return unmeasured(
      thresholds.excludeRejected && rejected > 0
        ? `${formatNumber(rejected)} requests, all rejected`
        : `no ${scope.prefix}export requests observed`,
    );
  }
  const ratio = successes / counted;
  const leftOut = thresholds.excludeRejected ? `, ${formatNumber(rejected)} rejected left out` : '';
  return {
    name,
    passed: ratio >= thresholds.minSuccess,
    value: ratio,
    measured: `${formatNumber(ratio)} = ${formatNumber(successes)}/${formatNumber(counted)}${leftOut}`,
    threshold,
  };
}

interface WithinLimit {
  readonly name: string;
  readonly measuredFamily: string;
  readonly limitFamily: string;
  readonly unit: string;
  readonly limitName: string;
}

/** Gauges: the sum over label sets of one must not exceed the other's. */
function assertWithin(exposition: Exposition, check: WithinLimit): AssertionResult {
  const measuredSamples = samplesNamed(exposition, check.measuredFamily);
  const limitSamples = samplesNamed(exposition, check.limitFamily);
  const limit = sumOf(limitSamples);
  const threshold =
    limitSamples.length === 0
      ? `<= ${check.limitName}`
      : `<= ${check.limitName} ${formatNumber(limit)}`;
  for (const [family, samples] of [
    [check.measuredFamily, measuredSamples],
    [check.limitFamily, limitSamples],
  ] as const) {
    if (samples.length === 0) return notMeasured(check.name, `no ${family} sample`, threshold);
  }
  const measured = sumOf(measuredSamples);
  return {
    name: check.name,
    passed: measured <= limit,
    value: measured,
    measured: `${formatNumber(measured)} ${check.unit}`,
    threshold,
  };
}

function assertBytesWritten(exposition: Exposition, scope: Scope): AssertionResult {
  const family = 'export_bytes_total';
  const name = `${scope.prefix}bytes written`;
  const threshold = '> 0';
  if (!exposition.has(family)) return notMeasured(name, `${family} missing`, threshold);
  const samples = samplesNamed(exposition, family, scope.matchers);
  const bytes = sumOf(samples);
  const unobserved = samples.length === 0 ? ` (no ${scope.exports} observed)` : '';
  return {
    name,
    passed: bytes > 0,
    value: bytes,
    measured: `${formatNumber(bytes)} bytes${unobserved}`,
    threshold,
  };
}

/** Nothing to measure is a failure: the tool runs after load, when every family has data. */
function notMeasured(name: string, reason: string, threshold: string): AssertionResult {
  return { name, passed: false, value: null, measured: `n/a (${reason})`, threshold };
}

/** Whole numbers in full (byte counts), others to 4 significant digits. */
function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

import type { HistogramBucket } from './histogram-quantile.js';
import type { Exposition, Sample } from './parse-exposition.js';
import { parsePrometheusFloat } from './parse-prometheus-float.js';

/** Labels a sample must carry, each with that value; none: every sample. */
export type LabelMatchers = Readonly<Record<string, string>>;

/**
 * Every sample of that series name, whichever family it was filed under, that carries each of
 * `matchers` (PromQL's `name{label="value"}`).
 */
export function samplesNamed(
  exposition: Exposition,
  sampleName: string,
  matchers: LabelMatchers = {},
): Sample[] {
  const wanted = Object.entries(matchers);
  return [...exposition.values()].flatMap((family) =>
    family.samples.filter(
      (sample) =>
        sample.name === sampleName &&
        wanted.every(([label, value]) => sample.labels[label] === value),
    ),
  );
}

/** PromQL's `sum(...)`: the values of every label set added together; 0 for none. */
export function sumOf(samples: readonly Sample[]): number {
  return samples.reduce((total, sample) => total + sample.value, 0);
}

/**
 * The `<family>_bucket` samples as buckets, one per label set: `histogramQuantile` adds up
 * buckets with the same bound, which is PromQL's `sum by (le)`. Like PromQL, a sample without a
 * numeric `le` is left out.
 */
export function histogramBuckets(
  exposition: Exposition,
  familyName: string,
  matchers: LabelMatchers = {},
): HistogramBucket[] {
  return samplesNamed(exposition, `${familyName}_bucket`, matchers).flatMap((sample) => {
    const upperBound = parsePrometheusFloat(sample.labels.le ?? '');
    return upperBound === undefined || Number.isNaN(upperBound)
      ? []
      : [{ upperBound, count: sample.value }];
  });
}

const suffixesByType: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
};

/**
 * The series names a Prometheus text exposition offers: every sample's name, and for every
 * declared family the names its type yields (a counter with no sample yet, the `_bucket`,
 * `_sum` and `_count` of a histogram). A histogram's bare family name is not a series.
 */
export function exposedSeriesNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const declared = /^# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) (\w+)$/.exec(line);
    if (declared) {
      const [, family = '', type = ''] = declared;
      for (const suffix of suffixesByType[type] ?? ['']) names.add(`${family}${suffix}`);
      continue;
    }
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/.exec(line);
    if (sample?.[1]) names.add(sample[1]);
  }
  return names;
}

/** The families declared by `# TYPE` lines, with their types. */
export function exposedFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) (\w+)$/gm)) {
    families.set(match[1] ?? '', match[2] ?? '');
  }
  return families;
}

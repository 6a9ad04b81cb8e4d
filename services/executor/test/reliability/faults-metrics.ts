import { httpJson } from '../real-server/http-json.js';

/**
 * The sum of every sample of `family` (a counter such as `export_requests_total`) whose labels
 * include all of `labels`, read from /export/metrics.
 */
export async function metricSum(
  url: string,
  family: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const answer = await httpJson(url, '/export/metrics');
  if (answer.status !== 200) throw new Error(`/export/metrics answered ${answer.status}`);
  let sum = 0;
  for (const line of answer.text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== family) continue;
    const sampleLabels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map(([, name, value]) => [
        name,
        value,
      ]),
    );
    if (Object.entries(labels).every(([name, value]) => sampleLabels[name] === value)) {
      sum += Number(match[3]);
    }
  }
  return sum;
}

export interface OutcomeCounts {
  success: number;
  failure: number;
  rejected: number;
  cancelled: number;
  other: number;
}

/** `export_requests_total` by outcome, summed over the formats. */
export async function outcomeCounts(url: string): Promise<OutcomeCounts> {
  const count = (outcome: keyof OutcomeCounts) =>
    metricSum(url, 'export_requests_total', { outcome });
  const [success, failure, rejected, cancelled, other] = await Promise.all([
    count('success'),
    count('failure'),
    count('rejected'),
    count('cancelled'),
    count('other'),
  ]);
  return { success, failure, rejected, cancelled, other };
}

import { describe, expect, it } from 'vitest';
import { httpJson } from './http-json.js';
import { startExecutor } from './spawn-executor.js';
import { ndjsonUpload, streamNdjsonExport } from './stream-ndjson.js';

/** Milliseconds of each GET of `path`, one after another every `everyMs`, until `until` settles. */
async function sampleLatency(url: string, path: string, everyMs: number, until: Promise<unknown>) {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const startedAt = performance.now();
    const answer = await httpJson(url, path);
    latencies.push(performance.now() - startedAt);
    expect(answer.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return latencies.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

describe('the control plane while every slot renders a PDF', () => {
  it('answers /health and /export/metrics well under a second', async () => {
    const executor = await startExecutor({ EXPORT_MAX_CONCURRENT: '5' });
    const upload = ndjsonUpload(40_000);
    const exports = Promise.all(
      Array.from({ length: 5 }, () =>
        streamNdjsonExport(executor.url, 'format=pdf&title=Load', upload),
      ),
    );
    const [health, metrics] = await Promise.all([
      sampleLatency(executor.url, '/health', 50, exports),
      sampleLatency(executor.url, '/export/metrics', 50, exports),
    ]);
    const results = await exports;
    expect(results.map((result) => [result.status, result.head.slice(0, 5)])).toEqual(
      Array.from({ length: 5 }, () => [200, '%PDF-']),
    );
    // Loose on purpose: this machine is shared. Before worker threads, p99 was over 2 s.
    expect(health.length).toBeGreaterThan(10);
    expect(percentile(health, 99)).toBeLessThan(250);
    expect(percentile(metrics, 99)).toBeLessThan(500);
  }, 120_000);
});

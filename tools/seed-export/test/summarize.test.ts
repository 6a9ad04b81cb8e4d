import { describe, expect, it } from 'vitest';
import type { ExportAttempt } from '../src/send-export.js';
import { percentile, summarize, summaryTable } from '../src/summarize.js';

const attempt = (outcome: ExportAttempt['outcome'], latencyMs: number): ExportAttempt => ({
  outcome,
  status: outcome === 'ok' ? 200 : outcome === 'rejected' ? 429 : 500,
  latencyMs,
  rows: outcome === 'ok' ? 10 : 0,
  bytes: outcome === 'ok' ? 100 : 0,
  ...(outcome === 'error' ? { message: 'boom' } : {}),
});

describe('percentile', () => {
  it('is the nearest-rank value', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.95)).toBe(10);
    expect(percentile([42], 0.95)).toBe(42);
  });

  it('is undefined without values', () => {
    expect(percentile([], 0.5)).toBeUndefined();
  });
});

describe('summarize', () => {
  it('counts outcomes and takes latencies from successful exports only', () => {
    const summary = summarize(
      '1k csv (stream)',
      [attempt('ok', 100), attempt('ok', 300), attempt('rejected', 1), attempt('error', 2)],
      1234,
    );
    expect(summary).toMatchObject({
      requests: 4,
      ok: 2,
      rejected: 1,
      errors: 1,
      rows: 20,
      bytes: 200,
      p50Ms: 100,
      p95Ms: 300,
      errorMessages: ['boom'],
    });
  });
});

describe('summaryTable', () => {
  it('prints a header and one aligned line per scenario', () => {
    const table = summaryTable([
      summarize('1k csv (run)', [attempt('ok', 12.4)], 20),
      summarize('100k csv (jobs)', [attempt('rejected', 1)], 5),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^scenario\s+requests\s+200\s+429\s+errors\s+rows\s+bytes\s+p50 ms\s+p95 ms\s+wall s$/,
    );
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^1k csv \(run\)\s+1\s+1\s+0\s+0\s+10\s+100 B\s+12\s+12\s+0\.0$/);
    expect(lines[3]).toMatch(/^100k csv \(jobs\)\s+1\s+0\s+1\s+0\s+0\s+0 B\s+-\s+-\s+0\.0$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});

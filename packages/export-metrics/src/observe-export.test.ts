import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createExportMetrics } from './create-export-metrics.js';
import { observeExport } from './observe-export.js';

function setup() {
  const registry = new Registry();
  const metrics = createExportMetrics({ registry });
  let clock = 0;
  const now = () => clock;
  const advance = (ms: number) => {
    clock += ms;
  };
  const scrape = () => registry.metrics();
  return { metrics, now, advance, scrape };
}

function fail(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('observeExport', () => {
  it('counts the dropped fields and cut cells a result reports', async () => {
    const { metrics, now, scrape } = setup();
    await observeExport(
      metrics,
      'pdf',
      async () => ({
        rows: 3,
        bytes: 10,
        droppedFields: { count: 2 },
        truncatedCells: { count: 5 },
      }),
      now,
    );
    await observeExport(metrics, 'pdf', async () => ({ rows: 1, bytes: 1 }), now);
    const text = await scrape();
    expect(text).toContain('export_dropped_fields_total{format="pdf"} 2');
    expect(text).toContain('export_truncated_cells_total{format="pdf"} 5');
  });

  it('counts a success with its rows, bytes, queue wait and duration', async () => {
    const { metrics, now, advance, scrape } = setup();
    const result = await observeExport(
      metrics,
      'csv',
      async (markStarted) => {
        advance(300);
        markStarted();
        advance(1_500);
        return { rows: 1_000, bytes: 52_000 };
      },
      now,
    );
    expect(result).toEqual({ rows: 1_000, bytes: 52_000 });
    const text = await scrape();
    expect(text).toContain('export_requests_total{format="csv",outcome="success"} 1');
    expect(text).toContain('export_rows_total{format="csv"} 1000');
    expect(text).toContain('export_bytes_total{format="csv"} 52000');
    expect(text).toContain('export_queue_wait_seconds_sum{format="csv"} 0.3');
    expect(text).toContain('export_queue_wait_seconds_bucket{le="0.25",format="csv"} 0');
    expect(text).toContain('export_queue_wait_seconds_bucket{le="0.5",format="csv"} 1');
    expect(text).toContain('export_duration_seconds_sum{format="csv"} 1.5');
    expect(text).toContain('export_duration_seconds_count{format="csv"} 1');
  });

  it('counts a failure with its reason and passes the error through unchanged', async () => {
    const { metrics, now, scrape } = setup();
    const error = fail('EXPORT_WRITE_FAILED');
    await expect(
      observeExport(
        metrics,
        'pdf',
        async (markStarted) => {
          markStarted();
          throw error;
        },
        now,
      ),
    ).rejects.toBe(error);
    const text = await scrape();
    expect(text).toContain('export_requests_total{format="pdf",outcome="failure"} 1');
    expect(text).toContain('export_fail_total{format="pdf",reason="write"} 1');
    expect(text).toContain('export_duration_seconds_count{format="pdf"} 1');
  });

  it('counts a refused admission as rejected, with no wait or duration observed', async () => {
    const { metrics, scrape } = setup();
    await expect(
      observeExport(metrics, 'csv', async () => {
        throw fail('LIMITER_QUEUE_FULL');
      }),
    ).rejects.toThrow();
    const text = await scrape();
    expect(text).toContain('export_requests_total{format="csv",outcome="rejected"} 1');
    expect(text).not.toContain('export_fail_total{');
    expect(text).not.toContain('export_queue_wait_seconds_count{format="csv"}');
    expect(text).not.toContain('export_duration_seconds_count{format="csv"}');
  });

  it('counts an abort as cancelled', async () => {
    const { metrics, scrape } = setup();
    await expect(
      observeExport(metrics, 'csv', async (markStarted) => {
        markStarted();
        throw Object.assign(fail('EXPORT_ABORTED'), { name: 'AbortError' });
      }),
    ).rejects.toThrow();
    expect(await scrape()).toContain('export_requests_total{format="csv",outcome="cancelled"} 1');
  });

  it('labels an unknown format as other, never with the input', async () => {
    const { metrics, scrape } = setup();
    await observeExport(metrics, 'alice-secret', async () => ({ rows: 1, bytes: 1 }));
    const text = await scrape();
    expect(text).toContain('export_requests_total{format="other",outcome="success"} 1');
    expect(text).not.toContain('alice-secret');
  });

  it('adds up a scripted sequence exactly', async () => {
    const { metrics, scrape } = setup();
    const succeed = () => observeExport(metrics, 'csv', async () => ({ rows: 10, bytes: 100 }));
    await Promise.all([succeed(), succeed(), succeed()]);
    for (const code of ['EXPORT_INVALID_RECORD', 'EXPORT_INVALID_RECORD', 'EXPORT_SOURCE_FAILED']) {
      await observeExport(metrics, 'csv', async () => {
        throw fail(code);
      }).catch(() => {});
    }
    const text = await scrape();
    expect(text).toContain('export_requests_total{format="csv",outcome="success"} 3');
    expect(text).toContain('export_requests_total{format="csv",outcome="failure"} 3');
    expect(text).toContain('export_rows_total{format="csv"} 30');
    expect(text).toContain('export_bytes_total{format="csv"} 300');
    expect(text).toContain('export_fail_total{format="csv",reason="validation"} 2');
    expect(text).toContain('export_fail_total{format="csv",reason="source"} 1');
  });
});

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpJson } from './http-json.js';
import { startExecutor } from './spawn-executor.js';
import { streamNdjsonExport } from './stream-ndjson.js';

describe('an export past EXPORT_WORKER_MAX_MB', () => {
  it('fails alone with EXPORT_WORKER_OUT_OF_MEMORY, leaves no file, and the service goes on', async () => {
    const executor = await startExecutor({
      EXPORT_WORKERS: '2',
      EXPORT_MAX_CONCURRENT: '2',
      EXPORT_WORKER_MAX_MB: '32',
    });
    // On the other worker, for longer than the big export takes to fail.
    const steady = streamNdjsonExport(executor.url, 'format=csv', 30_000, 40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A PDF table of 30,000 columns needs far more than the 32 MB heap of its worker.
    const wide = Object.fromEntries(
      Array.from({ length: 30_000 }, (_, index) => [`c${index}`, index]),
    );
    const big = await httpJson(executor.url, '/export/run', {
      body: { format: 'pdf', data: [wide, wide, wide] },
      timeoutMs: 60_000,
    });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ code: 'EXPORT_WORKER_OUT_OF_MEMORY' });
    expect((big.json as { message: string }).message).toContain('EXPORT_WORKER_MAX_MB');
    const steadyResult = await steady;
    expect(steadyResult.status).toBe(200);
    // Nothing of the failed export is left, not even its temp file.
    expect(readdirSync(executor.exportDirectory).filter((name) => name !== 'jobs')).toEqual([]);
    // Its slot is free and its worker replaced: two exports run at once again.
    const after = await Promise.all(
      [1, 2].map(() =>
        httpJson(executor.url, '/export/run', { body: { format: 'csv', data: [{ id: 1 }] } }),
      ),
    );
    expect(after.map((answer) => answer.status)).toEqual([200, 200]);
    const metrics = await httpJson(executor.url, '/export/metrics');
    expect(metrics.text).toMatch(/^export_fail_total\{format="pdf",reason="memory"\} 1$/m);
    expect(metrics.text).toMatch(/^export_workers 2$/m);
  }, 120_000);
});

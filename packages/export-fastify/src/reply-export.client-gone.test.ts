import { runExport } from '@org/export-core';
import { createLimiter } from '@org/export-limiter';
import { createExportMetrics } from '@org/export-metrics';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildApp } from './test-helpers/build-app.js';
import { startDownload } from './test-helpers/real-download.js';
import { endlessTrades } from './test-helpers/records.js';

function metricsOnARegistry() {
  const registry = new Registry();
  return { registry, metrics: createExportMetrics({ registry }) };
}

async function requestsTotal(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('export_requests_total')?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map(({ labels, value }) => [
      `${labels.format}/${labels.outcome}`,
      value,
    ]),
  );
}

async function failures(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('export_fail_total')?.get();
  return (metric?.values ?? []).reduce((total, { value }) => total + value, 0);
}

describe('a client that hangs up mid-download', () => {
  it('aborts the export, with the client-gone reason on its signal', async () => {
    const trades = endlessTrades();
    let reason: unknown;
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({
          format: 'csv',
          run: ({ destination, signal }) => {
            signal.addEventListener('abort', () => {
              reason = signal.reason;
            });
            return runExport({ source: trades.records, format: 'csv', destination, signal });
          },
        }),
      );
    });
    const download = await startDownload(app, '/trades');
    expect(download.response.statusCode).toBe(200);
    download.hangUp();
    await trades.stopped;
    expect(reason).toMatchObject({ code: 'EXPORT_FASTIFY_CLIENT_GONE' });
  });

  it('is counted outcome="cancelled", never a failure', async () => {
    const { registry, metrics } = metricsOnARegistry();
    const trades = endlessTrades();
    const app = await buildApp(
      (routes) => {
        routes.get('/trades', async (_request, reply) =>
          reply.export({ format: 'csv', source: trades.records }),
        );
      },
      { metrics },
    );
    const download = await startDownload(app, '/trades');
    await new Promise((resolve) => download.response.once('data', resolve));
    download.hangUp();
    await trades.stopped;
    await expect.poll(() => requestsTotal(registry)).toEqual({ 'csv/cancelled': 1 });
    expect(await failures(registry)).toBe(0);
  });

  it('is counted cancelled, not EXPORT_INTERNAL "Premature close", even by a run that ignores the signal', async () => {
    const { registry, metrics } = metricsOnARegistry();
    const trades = endlessTrades();
    const app = await buildApp(
      (routes) => {
        routes.get('/trades', async (_request, reply) =>
          reply.export({
            format: 'csv',
            run: ({ destination }) =>
              runExport({ source: trades.records, format: 'csv', destination }),
          }),
        );
      },
      { metrics },
    );
    const download = await startDownload(app, '/trades');
    await new Promise((resolve) => download.response.once('data', resolve));
    download.hangUp();
    await trades.stopped;
    await expect.poll(() => requestsTotal(registry)).toEqual({ 'csv/cancelled': 1 });
    expect(await failures(registry)).toBe(0);
  });

  it('is counted cancelled when it hangs up after the export wrote its last bytes, before it had them all', async () => {
    const { registry, metrics } = metricsOnARegistry();
    const megabyte = Buffer.alloc(1024 * 1024, 'x');
    const app = await buildApp(
      (routes) => {
        routes.get('/big', async (_request, reply) =>
          reply.export({
            format: 'csv',
            // 32 MiB buffered at once, more than the connection holds: its promise resolves
            // while most of the file has yet to reach the client.
            run: async ({ destination }) => {
              for (let written = 0; written < 32; written += 1) destination.write(megabyte);
              destination.end();
              return {
                format: 'csv',
                rows: 32,
                bytes: 32 * megabyte.length,
                sha256: '',
                durationMs: 1,
                droppedFields: { count: 0, names: [] },
                truncatedCells: { count: 0, columns: [] },
              };
            },
          }),
        );
      },
      { metrics },
    );
    const download = await startDownload(app, '/big');
    download.response.pause();
    download.hangUp();
    await expect.poll(() => requestsTotal(registry)).toEqual({ 'csv/cancelled': 1 });
    expect(await failures(registry)).toBe(0);
  });

  it('frees its place in the limiter when it leaves while queued, counted cancelled', async () => {
    const { registry, metrics } = metricsOnARegistry();
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 1 });
    const holding = endlessTrades();
    const app = await buildApp(
      (routes) => {
        routes.get('/hold', async (_request, reply) =>
          reply.export({ format: 'csv', source: holding.records }),
        );
        routes.get('/queued', async (_request, reply) =>
          reply.export({ format: 'csv', source: [{ id: 1 }] }),
        );
      },
      { limiter, metrics },
    );
    const holder = await startDownload(app, '/hold');
    const { port } = app.server.address() as { port: number };
    const queuedClient = new AbortController();
    const queued = fetch(`http://127.0.0.1:${port}/queued`, { signal: queuedClient.signal });
    queued.catch(() => {});
    await expect.poll(() => limiter.stats().queued).toBe(1);
    queuedClient.abort();
    await expect.poll(() => limiter.stats().queued).toBe(0);
    expect(await requestsTotal(registry)).toEqual({ 'csv/cancelled': 1 });
    holder.hangUp();
    await holding.stopped;
    await limiter.close();
  });
});

import { once } from 'node:events';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { classifyExportError } from './classify-export-error.js';
import { createExportMetrics } from './create-export-metrics.js';
import { observeExport } from './observe-export.js';

/** Endless CSV lines, as an export whose client is the only one to stop it. */
function endlessCsv(): Readable {
  let row = 0;
  return new Readable({
    read() {
      row += 1;
      this.push(`${row},${'x'.repeat(100)}\r\n`);
    },
  });
}

/** Serves one download written by a hand-made pipeline; resolves with how that pipeline ended. */
async function downloadThatTheClientLeaves(): Promise<unknown> {
  let written: Promise<void> = Promise.resolve();
  const server = createServer((_request, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/csv' });
    written = pipeline(endlessCsv(), response);
    written.catch(() => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const client = request({ port, host: '127.0.0.1', path: '/' });
    client.on('error', () => {});
    client.end();
    const [response] = await once(client, 'response');
    await once(response, 'data');
    client.destroy();
    return await written.then(
      () => undefined,
      (error: unknown) => error,
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('classifyExportError for a client that hangs up mid-download', () => {
  it('counts the bare "Premature close" of a pipeline into the response as cancelled', async () => {
    const error = await downloadThatTheClientLeaves();
    expect(error).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(classifyExportError(error)).toEqual({ outcome: 'cancelled' });
  });

  it('counts it outcome="cancelled" in export_requests_total, and no failure', async () => {
    const registry = new Registry();
    const metrics = createExportMetrics({ registry });
    const error = await downloadThatTheClientLeaves();
    await observeExport(metrics, 'csv', () => Promise.reject(error)).catch(() => {});
    const text = await registry.metrics();
    expect(text).toContain('export_requests_total{format="csv",outcome="cancelled"} 1');
    expect(text).not.toMatch(/export_fail_total\{[^}]*\} [1-9]/);
  });
});

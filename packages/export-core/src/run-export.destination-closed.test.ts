import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { destinationClosedMessage, ExportAbortError } from './errors.js';
import { runExport } from './run-export.js';
import { exportRejectionOf } from './test-helpers/export-error-of.js';

async function* endlessTrades() {
  for (let id = 0; ; id += 1) {
    yield { id, note: 'x'.repeat(100) };
    // Lets the reader's close be seen between rows, as it would be between network writes.
    if (id % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A Writable that takes `limit` bytes, then is destroyed without an error, as a reader that leaves. */
function leavingReader(limit: number): Writable {
  let taken = 0;
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      taken += chunk.length;
      callback();
      if (taken >= limit) writable.destroy();
    },
  });
  return writable;
}

describe('runExport to a Writable that closes before the export ends it', () => {
  it.each(['csv', 'pdf'] as const)(
    'rejects a %s export with EXPORT_ABORTED, an AbortError, not EXPORT_INTERNAL',
    async (format) => {
      const error = await exportRejectionOf(() =>
        runExport({ source: endlessTrades(), format, destination: leavingReader(64 * 1024) }),
      );
      expect(error).toBeInstanceOf(ExportAbortError);
      expect(error).toMatchObject({ code: 'EXPORT_ABORTED', name: 'AbortError' });
      expect(error.message).toBe(destinationClosedMessage);
    },
  );

  it('rejects with EXPORT_ABORTED when the HTTP client of the response hangs up mid-download', async () => {
    let exported: Promise<unknown> = Promise.resolve();
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/csv' });
      exported = runExport({ source: endlessTrades(), format: 'csv', destination: response });
      exported.catch(() => {});
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
      const error = await exportRejectionOf(() => exported);
      expect(error).toMatchObject({ code: 'EXPORT_ABORTED', name: 'AbortError' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('still reports a destination that errors as EXPORT_WRITE_FAILED', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk on fire'));
      },
    });
    const error = await exportRejectionOf(() =>
      runExport({ source: endlessTrades(), format: 'csv', destination: failing }),
    );
    expect(error.code).toBe('EXPORT_WRITE_FAILED');
  });
});

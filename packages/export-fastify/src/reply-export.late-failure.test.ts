import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { fastifyExport } from './fastify-export.js';
import { buildApp } from './test-helpers/build-app.js';
import { startDownload } from './test-helpers/real-download.js';
import { failingAfter } from './test-helpers/records.js';

describe('reply.export after its first bytes', () => {
  it('cuts the connection when the export fails, so the client never gets a whole-looking file', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: failingAfter(2_000, new Error('database gone')) }),
      );
    });
    const download = await startDownload(app, '/trades');
    expect(download.response.statusCode).toBe(200);
    expect(download.response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const { complete, body } = await download.ended;
    expect(complete).toBe(false);
    expect(body.toString()).toMatch(/^id,note\r\n0,x+\r\n/);
    expect(body.toString()).not.toContain('1999,');
  });

  describe('logging', () => {
    const lines: { level: number; msg: string; [field: string]: unknown }[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(JSON.parse(String(chunk)));
        callback();
      },
    });
    afterEach(() => {
      lines.length = 0;
    });

    it('logs one warning that says the export failed while streaming, with the error', async () => {
      const app = Fastify({ logger: { level: 'info', stream } });
      await app.register(fastifyExport);
      app.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: failingAfter(2_000, new Error('database gone')) }),
      );
      try {
        const download = await startDownload(app, '/trades');
        await download.ended;
        await expect
          .poll(() => lines.filter((line) => line.msg === 'export failed while streaming'))
          .toEqual([
            expect.objectContaining({
              level: 40,
              err: expect.objectContaining({ code: 'EXPORT_SOURCE_FAILED' }),
            }),
          ]);
      } finally {
        app.server.closeAllConnections();
        await app.close();
      }
    });

    it('logs the rows and bytes of an export that was sent whole', async () => {
      const app = Fastify({ logger: { level: 'info', stream } });
      await app.register(fastifyExport);
      app.get('/trades', async (request, reply) =>
        reply.export({
          format: 'csv',
          source: [{ id: 1 }, { id: 2 }],
          log: request.log.child({ exportId: 'e-1' }),
        }),
      );
      try {
        const response = await app.inject({ method: 'GET', url: '/trades' });
        expect(response.statusCode).toBe(200);
        await expect
          .poll(() => lines.filter((line) => line.msg === 'export streamed'))
          .toEqual([
            expect.objectContaining({
              level: 30,
              exportId: 'e-1',
              format: 'csv',
              rows: 2,
              bytes: response.rawPayload.length,
              outcome: 'success',
            }),
          ]);
      } finally {
        await app.close();
      }
    });
  });
});

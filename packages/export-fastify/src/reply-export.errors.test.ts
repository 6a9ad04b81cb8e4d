import { ExportError } from '@org/export-core';
import { describe, expect, it } from 'vitest';
import { buildApp } from './test-helpers/build-app.js';
import { trades } from './test-helpers/records.js';

describe('reply.export before its first bytes', () => {
  it('answers a bad first record with 400 and its code, and streams nothing', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: ['not a record', ...trades] }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(response.json()).toEqual({
      statusCode: 400,
      code: 'EXPORT_INVALID_RECORD',
      error: 'Bad Request',
      message: expect.stringContaining('record 0'),
    });
  });

  it('answers a field no column takes, with unknownFields error, with 400 EXPORT_UNKNOWN_FIELD', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: trades, columns: ['id'], unknownFields: 'error' }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('EXPORT_UNKNOWN_FIELD');
  });

  it('answers a format the client chose badly with 400 EXPORT_UNSUPPORTED_FORMAT', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (request, reply) =>
        reply.export({ format: (request.query as { format: 'csv' }).format, source: trades }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades?format=docx' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'EXPORT_UNSUPPORTED_FORMAT',
      message: 'option `format` must be one of csv, pdf, xlsx, got "docx"',
    });
  });

  it('answers a malformed option with 500 EXPORT_FASTIFY_INVALID_OPTION naming it', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: trades, headers: { 'content-type': 'text/plain' } }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({
      code: 'EXPORT_FASTIFY_INVALID_OPTION',
      message: 'option `headers` must not set content-type: use `format` and `filename`',
    });
  });

  it('answers with the status of the code a run callback rejects with (413 EXPORT_TOO_MANY_ROWS)', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({
          format: 'csv',
          run: async () => {
            throw new ExportError('EXPORT_TOO_MANY_ROWS', 'more than 2 records', { row: 2 });
          },
        }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades' });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'EXPORT_TOO_MANY_ROWS' });
  });

  it("hands the export's own error to a custom error handler, the status already set", async () => {
    const app = await buildApp((routes) => {
      routes.setErrorHandler((error: Error & { code?: string }, _request, reply) =>
        reply.send({ seen: error.code, statusCode: reply.statusCode }),
      );
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: [42] }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades' });
    expect(response.json()).toEqual({ seen: 'EXPORT_INVALID_RECORD', statusCode: 400 });
  });
});

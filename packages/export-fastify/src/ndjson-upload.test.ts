import { PassThrough, Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ndjsonUploadOf } from './ndjson-upload.js';
import { buildApp } from './test-helpers/build-app.js';
import { trades } from './test-helpers/records.js';

const ndjson = trades.map((trade) => JSON.stringify(trade)).join('\n');

async function uploadApp(options: Parameters<typeof buildApp>[1] = {}) {
  return buildApp((routes) => {
    routes.post('/upload', async (request, reply) => {
      const { format } = request.query as { format?: 'csv' | 'pdf' };
      return reply.export({ format: format ?? 'csv', source: request.ndjsonRecords() });
    });
    routes.post('/chunks', async (request) => {
      let bytes = 0;
      for await (const chunk of ndjsonUploadOf(request)) bytes += chunk.byteLength;
      return { bytes };
    });
  }, options);
}

describe('an NDJSON upload', () => {
  it('is parsed by the plugin as it arrives and exported', async () => {
    const app = await uploadApp();
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjson,
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('id,symbol,qty\r\n1,ACME,10\r\n2,İNİT,-3\r\n');
  });

  it('is read as it is sent, chunk by chunk, and exported to a PDF', async () => {
    const app = await uploadApp();
    const upload = new PassThrough();
    const answered = app.inject({
      method: 'POST',
      url: '/upload?format=pdf',
      headers: { 'content-type': 'application/x-ndjson; charset=utf-8' },
      payload: upload,
    });
    upload.write(`${ndjson.slice(0, 10)}`);
    upload.end(ndjson.slice(10));
    const response = await answered;
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('answers 400 EXPORT_INVALID_RECORD naming the line of a malformed line', async () => {
    const app = await uploadApp();
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"id":1}\n{"id":\n',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'EXPORT_INVALID_RECORD' });
    expect(response.json().message).toMatch(/^line 2 is not valid JSON/);
  });

  it('answers 413 EXPORT_LINE_TOO_LONG past the ndjson.maxLineBytes of the plugin', async () => {
    const app = await uploadApp({ ndjson: { maxLineBytes: 16 } });
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `{"note":"${'x'.repeat(32)}"}\n`,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'EXPORT_LINE_TOO_LONG' });
  });

  it('gives its bytes as they arrive to ndjsonUploadOf', async () => {
    const app = await uploadApp();
    const response = await app.inject({
      method: 'POST',
      url: '/chunks',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjson,
    });
    expect(response.json()).toEqual({ bytes: Buffer.byteLength(ndjson) });
  });

  it('is required: a JSON body asked for its records is a 415 EXPORT_FASTIFY_NOT_NDJSON', async () => {
    const app = await uploadApp();
    const response = await app.inject({ method: 'POST', url: '/chunks', payload: { data: [] } });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'EXPORT_FASTIFY_NOT_NDJSON' });
  });
});

describe('ndjsonUploadOf', () => {
  const request = (body: Readable) =>
    ({ headers: { 'content-type': 'application/x-ndjson' }, body }) as unknown as FastifyRequest;
  const upload = () => Readable.from(['{"id":1}\n{"id":2}\n', '{"id":3}\n', '{"id":4}\n']);

  it('leaves the upload open and its rest readable when the reader stops early', async () => {
    const source = upload();
    for await (const chunk of ndjsonUploadOf(request(source))) {
      expect(String(chunk)).toBe('{"id":1}\n{"id":2}\n');
      break;
    }
    expect(source.destroyed).toBe(false);
    const rest = [];
    for await (const chunk of source) rest.push(String(chunk));
    expect(rest.join('')).toBe('{"id":3}\n{"id":4}\n');
  });
});

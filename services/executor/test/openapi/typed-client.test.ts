import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../../src/app.js';
import { buildTestApp } from '../build-test-app.js';
import type { paths } from './generated/executor-api.js';

const tokens = 'aaaaaaaaaaaaaaaa1:alice';
const headers = { authorization: 'Bearer aaaaaaaaaaaaaaaa1' };

const listening: ExecutorApp[] = [];

/** A real server on a port, and a client typed by the types generated from its document. */
async function typedClient() {
  const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
  await app.listen({ host: '127.0.0.1', port: 0 });
  listening.push(app);
  const { port } = app.server.address() as AddressInfo;
  return createClient<paths>({ baseUrl: `http://127.0.0.1:${port}`, headers });
}

describe('a client generated from the OpenAPI document (openapi-typescript, openapi-fetch)', () => {
  // Before the apps close (an outer hook): fetch's keep-alive connections are the test's, not
  // the app's, to end; left open, the close may wait on one for up to its keep-alive timeout.
  afterEach(() => {
    for (const app of listening.splice(0)) app.server.closeAllConnections();
  });

  it('submits a job, polls it until done and downloads its file', async () => {
    const client = await typedClient();
    const submitted = await client.POST('/export/jobs', {
      body: {
        format: 'csv',
        csvProfile: 'rfc4180',
        data: [
          { id: 1, symbol: 'ACME', qty: 10 },
          { id: 2, symbol: 'İSTANBUL', qty: -5 },
        ],
      },
    });
    expect(submitted.response.status).toBe(202);
    const id = submitted.data?.id ?? '';
    expect(submitted.data?.status).toMatch(/^(queued|running|done)$/);

    let job = submitted.data;
    for (let attempt = 0; job?.status !== 'done' && attempt < 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = (await client.GET('/export/jobs/{id}', { params: { path: { id } } })).data;
    }
    expect(job).toMatchObject({ status: 'done', rows: 2, columns: ['id', 'symbol', 'qty'] });
    expect(job?.droppedFields).toEqual({ count: 0, names: [] });

    const download = await client.GET('/export/jobs/{id}/download', {
      params: { path: { id } },
      parseAs: 'text',
    });
    expect(download.response.status).toBe(200);
    expect(download.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(download.data).toBe('id,symbol,qty\r\n1,ACME,10\r\n2,İSTANBUL,-5\r\n');
  });

  it('gets the typed error of a job that does not exist', async () => {
    const client = await typedClient();
    const { data, error, response } = await client.GET('/export/jobs/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(response.status).toBe(404);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ statusCode: 404, code: 'EXECUTOR_JOB_NOT_FOUND' });
  });

  it('gets the typed 400 of a body the schema refuses, naming the field', async () => {
    const client = await typedClient();
    const { error, response } = await client.POST('/export/run', {
      // A column type the API does not know: the types say so too, hence the cast.
      body: { format: 'csv', data: [{ a: 1 }], columns: [{ key: 'a', type: 'money' as 'text' }] },
    });
    expect(response.status).toBe(400);
    expect(error?.code).toBe('EXECUTOR_INVALID_REQUEST');
    expect(error?.message).toMatch(/columns/);
  });
});

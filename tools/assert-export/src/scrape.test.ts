import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AssertExportError } from './errors.js';
import { scrapeMetrics } from './scrape.js';
import { type ExpositionServer, serveExposition } from './test-helpers/serve-exposition.js';

const servers: ExpositionServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: Parameters<typeof serveExposition>[0]): Promise<ExpositionServer> {
  const server = await serveExposition(options);
  servers.push(server);
  return server;
}

async function scrapeError(promise: Promise<unknown>): Promise<AssertExportError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AssertExportError))
    throw new Error(`expected an AssertExportError, got ${error}`);
  return error;
}

/** A port nothing listens on: one the system just handed out and got back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scrapeMetrics', () => {
  it('resolves with the body of a 200', async () => {
    const server = await serve({ body: 'export_queue_depth 0\n' });
    const body = await scrapeMetrics({
      metricsUrl: `${server.url}/export/metrics`,
      token: undefined,
      timeoutMs: 5000,
    });
    expect(body).toBe('export_queue_depth 0\n');
    expect(server.requests[0]?.path).toBe('/export/metrics');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]?.headers.accept).toBe('text/plain;version=0.0.4');
  });

  it('sends --token as a bearer token', async () => {
    const server = await serve({ body: '' });
    await scrapeMetrics({
      metricsUrl: `${server.url}/export/metrics`,
      token: 'token-0123456789abcdef',
      timeoutMs: 5000,
    });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer token-0123456789abcdef');
  });

  it('fails on another status, with the URL, the status and the start of the body', async () => {
    const server = await serve({
      status: 401,
      body: '{"code":"EXECUTOR_UNAUTHORIZED",\n "message":"missing bearer token"}',
    });
    const metricsUrl = `${server.url}/export/metrics`;
    const error = await scrapeError(
      scrapeMetrics({ metricsUrl, token: undefined, timeoutMs: 5000 }),
    );
    expect(error.code).toBe('ASSERT_EXPORT_SCRAPE_FAILED');
    expect(error.message).toBe(
      `could not scrape ${metricsUrl}: HTTP 401 Unauthorized: {"code":"EXECUTOR_UNAUTHORIZED", "message":"missing bearer token"}`,
    );
  });

  it('fails on a 204, which has no exposition', async () => {
    const server = await serve({ status: 204 });
    const metricsUrl = `${server.url}/export/metrics`;
    const error = await scrapeError(
      scrapeMetrics({ metricsUrl, token: undefined, timeoutMs: 5000 }),
    );
    expect(error.message).toBe(`could not scrape ${metricsUrl}: HTTP 204 No Content`);
  });

  it('fails when the connection is refused, with the URL and the reason', async () => {
    const port = await closedPort();
    const metricsUrl = `http://127.0.0.1:${port}/export/metrics`;
    const error = await scrapeError(
      scrapeMetrics({ metricsUrl, token: undefined, timeoutMs: 5000 }),
    );
    expect(error.code).toBe('ASSERT_EXPORT_SCRAPE_FAILED');
    expect(error.message).toBe(
      `could not scrape ${metricsUrl}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('gives up after --timeout-ms when the service does not answer', async () => {
    const server = await serve({ hang: true });
    const metricsUrl = `${server.url}/export/metrics`;
    const error = await scrapeError(
      scrapeMetrics({ metricsUrl, token: undefined, timeoutMs: 100 }),
    );
    expect(error.code).toBe('ASSERT_EXPORT_SCRAPE_FAILED');
    expect(error.message).toBe(
      `could not scrape ${metricsUrl}: no complete answer within 100 ms (--timeout-ms)`,
    );
  });
});

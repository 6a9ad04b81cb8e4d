import { describe, expect, it } from 'vitest';
import { executorVersion } from '../src/version.js';
import { buildTestApp } from './build-test-app.js';

describe('GET /ready', () => {
  it('answers 200 while the executor takes work', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });

  it('answers 503 with EXECUTOR_DRAINING and Retry-After once it drains', async () => {
    const app = await buildTestApp();
    app.lifecycle.startDraining();
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      statusCode: 503,
      code: 'EXECUTOR_DRAINING',
      error: 'Service Unavailable',
    });
  });
});

describe('GET /export/status', () => {
  it('reports the limiter and the version', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '3', EXPORT_MAX_QUEUE: '7' });
    const response = await app.inject({ method: 'GET', url: '/export/status' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      running: 0,
      queued: 0,
      maxConcurrent: 3,
      maxQueue: 7,
      version: executorVersion,
      jobs: { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 },
    });
  });

  it('says draining while the executor drains', async () => {
    const app = await buildTestApp();
    app.lifecycle.startDraining();
    const response = await app.inject({ method: 'GET', url: '/export/status' });
    expect(response.json().status).toBe('draining');
  });
});

describe('the API documentation', () => {
  it('serves the OpenAPI document generated from the route schemas at /docs/json', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/ready',
        '/export/status',
        '/export/run',
        '/export/stream',
        '/metrics',
      ]),
    );
  });

  it('serves Swagger UI at /docs', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });
});

import { describe, expect, it } from 'vitest';
import { executorVersion } from '../src/version.js';
import { buildTestApp } from './build-test-app.js';

describe('GET /health', () => {
  it('answers 200 with status, version and uptime', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    expect(body).toEqual({
      status: 'ok',
      version: executorVersion,
      uptimeSeconds: expect.any(Number),
    });
    expect(body.uptimeSeconds).toBeGreaterThan(0);
  });

  it('reports the version of the executor package', () => {
    expect(executorVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers 404 with a JSON error for an unknown route', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

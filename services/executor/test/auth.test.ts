import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.js';

const tokens = 'aaaaaaaaaaaaaaaa1:alice,bbbbbbbbbbbbbbbb2:bob';
const payload = { format: 'csv', data: [{ id: 1 }] };

describe('with EXPORT_API_TOKENS set', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'Bearer cccccccccccccccc3'],
    ['a token without Bearer', 'aaaaaaaaaaaaaaaa1'],
  ])('answers 401 EXECUTOR_UNAUTHORIZED for %s', async (_name, authorization) => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload,
      headers: authorization ? { authorization } : {},
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ statusCode: 401, code: 'EXECUTOR_UNAUTHORIZED' });
  });

  it.each(['/export/status', '/export/stream'])('guards %s too', async (url) => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const response = await app.inject({
      method: url === '/export/status' ? 'GET' : 'POST',
      url,
      payload: url === '/export/status' ? undefined : payload,
    });
    expect(response.statusCode).toBe(401);
  });

  it('accepts a known token', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload,
      headers: { authorization: 'Bearer bbbbbbbbbbbbbbbb2' },
    });
    expect(response.statusCode).toBe(200);
  });

  it.each(['/metrics', '/export/metrics', '/health', '/ready'])('leaves %s open', async (url) => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });
});

describe('without EXPORT_API_TOKENS', () => {
  it('serves the export API to anyone', async () => {
    const app = await buildTestApp();
    expect((await app.inject({ method: 'POST', url: '/export/run', payload })).statusCode).toBe(
      200,
    );
  });
});

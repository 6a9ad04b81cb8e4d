import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.js';

describe('GET /metrics and GET /export/metrics', () => {
  it.each(['/metrics', '/export/metrics'])(
    '%s exposes the export families in Prometheus text',
    async (url) => {
      const app = await buildTestApp();
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.body).toContain('# TYPE export_requests_total counter');
      expect(response.body).toContain('# TYPE export_duration_seconds histogram');
    },
  );

  it('exposes the default limits of 5 running and 100 queued', async () => {
    const app = await buildTestApp();
    const { body } = await app.inject({ method: 'GET', url: '/metrics' });
    expect(body).toContain('\nexport_concurrent_limit 5\n');
    expect(body).toContain('\nexport_queue_capacity 100\n');
  });
});

import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.js';
import { ndjsonOf, trades } from './job-helpers.js';

async function metricsOf(app: Awaited<ReturnType<typeof buildTestApp>>): Promise<string> {
  return (await app.inject({ method: 'GET', url: '/metrics' })).body;
}

// Finding: a bad NDJSON line was counted on /export/stream but not on /export/jobs, whose
// uploads fail before any export runs.
describe('a job upload that cannot be spooled', () => {
  it('counts a bad NDJSON line as a failure with reason="validation"', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs?format=csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${ndjsonOf(trades)}{"id":3,\n`,
    });
    expect(response.statusCode).toBe(400);

    const metrics = await metricsOf(app);
    expect(metrics).toContain('export_requests_total{format="csv",outcome="failure"} 1');
    expect(metrics).toContain('export_fail_total{format="csv",reason="validation"} 1');
  });

  it('counts more rows than EXPORT_MAX_ROWS as a failure with reason="validation"', async () => {
    const app = await buildTestApp({ EXPORT_MAX_ROWS: '1' });
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs?format=pdf',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjsonOf(trades),
    });
    expect(response.statusCode).toBe(413);

    const metrics = await metricsOf(app);
    expect(metrics).toContain('export_fail_total{format="pdf",reason="validation"} 1');
  });
});

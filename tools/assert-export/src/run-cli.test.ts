import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { readFixture } from './test-helpers/read-fixture.js';
import { type ExpositionServer, serveExposition } from './test-helpers/serve-exposition.js';

const servers: ExpositionServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: Parameters<typeof serveExposition>[0]): Promise<string> {
  const server = await serveExposition(options);
  servers.push(server);
  return server.url;
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('runCli', () => {
  it('exits 0 and prints six PASS lines and a summary for a healthy service', async () => {
    const url = await serve({ body: readFixture('healthy') });
    const { code, stdout, stderr } = await run(['--url', url]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines.slice(0, 6).every((line) => line.startsWith('PASS  '))).toBe(true);
    expect(lines[6]).toBe(`all 6 assertions passed for ${url}/export/metrics`);
  });

  it('exits 1 when an assertion fails', async () => {
    const url = await serve({ body: readFixture('slow-p95') });
    const { code, stdout } = await run(['--url', url]);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL  p95 duration           29.67 s (<= 10 s)\n');
    expect(stdout).toContain(`1 of 6 assertions failed for ${url}/export/metrics\n`);
  });

  it('passes the thresholds on: a looser --p95-seconds lets the slow service pass', async () => {
    const url = await serve({ body: readFixture('slow-p95') });
    expect((await run(['--url', url, '--p95-seconds', '30'])).code).toBe(0);
  });

  it('prints the JSON report with --json, with the same exit code', async () => {
    const url = await serve({ body: readFixture('low-success') });
    const { code, stdout } = await run(['--url', url, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ passed: false, summary: { total: 6, passed: 5, failed: 1 } });
    expect((await run(['--url', url, '--json', '--exclude-rejected'])).code).toBe(0);
  });

  it('prints the usage and exits 0 with --help', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: pnpm assert-export \[flags\]/);
    expect(stdout).toContain('--exclude-rejected');
    expect(stderr).toBe('');
  });

  it('exits 2 on a usage error, naming the flag and pointing at --help', async () => {
    const { code, stdout, stderr } = await run(['--min-success', 'most']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'assert-export: flag `--min-success` must be a ratio from 0 to 1, such as 0.95, got "most"\nRun with --help for usage.\n',
    );
  });

  it('exits 2 when the scrape fails, with the URL and the status', async () => {
    const url = await serve({ status: 503, body: 'draining' });
    const { code, stdout, stderr } = await run(['--url', url]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `assert-export: could not scrape ${url}/export/metrics: HTTP 503 Service Unavailable: draining\n`,
    );
  });

  it('exits 2 when the answer is not an exposition, naming the URL and the line', async () => {
    const url = await serve({ body: '<html>\n<body>login</body>\n' });
    const { code, stderr } = await run(['--url', url]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `assert-export: ${url}/export/metrics did not answer with a Prometheus exposition: line 1: expected a metric name\n`,
    );
  });
});

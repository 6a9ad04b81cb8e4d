import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../src/test-helpers/read-fixture.js';
import { type ExpositionServer, serveExposition } from '../src/test-helpers/serve-exposition.js';

// The built script, as `pnpm assert-export` runs it; turbo builds it before this test runs.
const cliEntry = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const servers: ExpositionServer[] = [];

beforeAll(() => {
  if (!existsSync(cliEntry)) throw new Error(`${cliEntry} is missing: run pnpm build first`);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(body: string): Promise<string> {
  const server = await serveExposition({ body });
  servers.push(server);
  return server.url;
}

function runBuiltCli(
  argv: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the built assert-export command', () => {
  it('exits 0 against a healthy service and prints a PASS line per assertion', async () => {
    const url = await serve(readFixture('healthy'));
    const { code, stdout, stderr } = await runBuiltCli(['--url', url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'PASS  export families        all 13 export families present (13 of 13)',
        'PASS  p95 duration           0.5558 s (<= 10 s)',
        'PASS  success ratio          0.99 = 990/1000 (>= 0.95)',
        'PASS  running within limit   3 running (<= limit 5)',
        'PASS  queue within capacity  12 queued (<= capacity 100)',
        'PASS  bytes written          47940000 bytes (> 0)',
        `all 6 assertions passed for ${url}/export/metrics`,
        '',
      ].join('\n'),
    );
  });

  it('exits 1 when the service runs more exports than its limit, and prints the FAIL line', async () => {
    const url = await serve(readFixture('running-over-limit'));
    const { code, stdout } = await runBuiltCli(['--url', url]);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL  running within limit   6 running (<= limit 5)\n');
    expect(stdout).toContain('PASS  queue within capacity  12 queued (<= capacity 100)\n');
    expect(stdout).toContain(`1 of 6 assertions failed for ${url}/export/metrics\n`);
  });

  it('exits 1 with --json and prints the report as JSON', async () => {
    const url = await serve(readFixture('no-exports'));
    const { code, stdout } = await runBuiltCli(['--url', url, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      url: `${url}/export/metrics`,
      passed: false,
      summary: { total: 6, passed: 3, failed: 3 },
    });
  });

  it('exits 1 with --format when a listed format has no exports, and prints its FAIL lines', async () => {
    const url = await serve(readFixture('healthy'));
    const { code, stdout } = await runBuiltCli(['--url', url, '--format=csv,xlsx']);
    expect(code).toBe(1);
    expect(stdout).toContain('PASS  csv p95 duration       0.4104 s (<= 10 s)\n');
    expect(stdout).toContain(
      'FAIL  xlsx p95 duration      n/a (no xlsx exports observed) (<= 10 s)\n',
    );
    expect(stdout).toContain(
      'FAIL  xlsx bytes written     0 bytes (no xlsx exports observed) (> 0)\n',
    );
    expect(stdout).toContain(`3 of 12 assertions failed for ${url}/export/metrics\n`);
  });

  it('exits 2 on a format it does not know, listing those it does', async () => {
    const { code, stdout, stderr } = await runBuiltCli(['--format=csv,docx']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'flag `--format` must list formats from csv, pdf, xlsx, separated by commas, got "docx"',
    );
  });

  it('exits 2 on an unknown flag, naming it', async () => {
    const { code, stdout, stderr } = await runBuiltCli(['--p99-seconds', '3']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown flag `--p99-seconds`');
  });
});

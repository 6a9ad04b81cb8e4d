import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, loadConfig } from '@org/executor';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

// The built CLI, as `pnpm seed-export` runs it; turbo builds it before the tests.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const token = 'seed-export-test-token-1';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real executor on a free loopback port, with its own export folder. */
async function startExecutor(env: Record<string, string> = {}): Promise<string> {
  const exportDirectory = mkdtempSync(join(tmpdir(), 'seed-export-test-'));
  const app = await build({
    config: loadConfig({ EXPORT_DIR: exportDirectory, ...env }),
    logger: false,
    registry: new Registry(),
  });
  cleanups.push(async () => {
    await app.close();
    rmSync(exportDirectory, { recursive: true, force: true });
  });
  return app.listen({ host: '127.0.0.1', port: 0 });
}

function seedExport(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The summary table's line for a scenario, split into its cells. */
function tableRow(stdout: string, scenario: string): string[] {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(`${scenario} `));
  if (!line) throw new Error(`no line for ${scenario} in:\n${stdout}`);
  return line
    .slice(scenario.length)
    .trim()
    .split(/\s{2,}/);
}

describe('seed-export against a real executor', () => {
  it('exports through run, stream and jobs, checks each file, and exits 0', async () => {
    const url = await startExecutor();
    for (const format of ['csv', 'pdf', 'xlsx']) {
      const { code, stdout } = await seedExport([
        '--records=300',
        `--format=${format}`,
        '--mode=run,stream,jobs',
        '--repeat=2',
        `--url=${url}`,
      ]);
      expect(code).toBe(0);
      for (const mode of ['run', 'stream', 'jobs']) {
        const [requests, ok, rejected, errors, rows] = tableRow(stdout, `300 ${format} (${mode})`);
        expect({ requests, ok, rejected, errors, rows }).toEqual({
          requests: '2',
          ok: '2',
          rejected: '0',
          errors: '0',
          rows: '600',
        });
      }
    }
  }, 60_000);

  it('counts 429s as refusals, not failures, when the executor is full', async () => {
    const url = await startExecutor({ EXPORT_MAX_CONCURRENT: '1', EXPORT_MAX_QUEUE: '0' });
    const { code, stdout } = await seedExport([
      '--records=20000',
      '--mode=stream',
      '--concurrency=6',
      `--url=${url}`,
    ]);
    expect(code).toBe(0);
    const [requests, ok, rejected, errors] = tableRow(stdout, '20k csv (stream)');
    expect(requests).toBe('6');
    expect(Number(ok)).toBeGreaterThanOrEqual(1);
    expect(Number(rejected)).toBeGreaterThanOrEqual(1);
    expect(Number(ok) + Number(rejected)).toBe(6);
    expect(errors).toBe('0');
  }, 60_000);

  it('exits 1 and says why when an export fails', async () => {
    const url = await startExecutor({ EXPORT_MAX_ROWS: '100' });
    const { code, stdout } = await seedExport(['--records=500', '--mode=jobs', `--url=${url}`]);
    expect(code).toBe(1);
    expect(tableRow(stdout, '500 csv (jobs)')[3]).toBe('1');
    expect(stdout).toContain('EXECUTOR_TOO_MANY_ROWS');
  }, 30_000);

  it('sends the bearer token given with --token', async () => {
    const url = await startExecutor({ EXPORT_API_TOKENS: `${token}:alice` });
    const refused = await seedExport(['--records=10', `--url=${url}`]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('EXECUTOR_UNAUTHORIZED');
    const accepted = await seedExport([
      '--records=10',
      '--mode=jobs',
      `--token=${token}`,
      `--url=${url}`,
    ]);
    expect(accepted.code).toBe(0);
  }, 30_000);

  it('prints the summaries as JSON with --json', async () => {
    const url = await startExecutor();
    const { code, stdout } = await seedExport([
      '--records=50',
      '--mode=run',
      '--json',
      `--url=${url}`,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ name: '50 csv (run)', requests: 1, ok: 1, errors: 0, rows: 50 }),
    ]);
  });

  it('exits 2 with the usage on a bad flag', async () => {
    const { code, stderr } = await seedExport(['--concurrency=0']);
    expect(code).toBe(2);
    expect(stderr).toContain('--concurrency must be a whole number of at least 1, got "0"');
    expect(stderr).toContain('Usage: pnpm seed-export');
  });
});

// `pnpm e2e`: the built executor on a free port with a temp export folder, the seed-export batch
// through each API, an overload burst, and assert-export on the metrics after each; then a
// clean stop. Exits non-zero on the first step that fails.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExecutor } from './start-executor.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seedExport = join(root, 'tools/seed-export/dist/cli.js');
const assertExport = join(root, 'tools/assert-export/dist/cli.js');

// Small limits, so the overload burst meets the queue's edge within seconds.
const limits = { EXPORT_MAX_CONCURRENT: '2', EXPORT_MAX_QUEUE: '4' };

function run(title, script, args) {
  process.stdout.write(`\n== ${title}\n$ ${['node', script, ...args].join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const exportDirectory = mkdtempSync(join(tmpdir(), 'export-e2e-'));
const executor = startExecutor(exportDirectory, limits);
let failed = false;
try {
  const url = await executor.url;
  process.stdout.write(
    `executor on ${url} (${JSON.stringify(limits)}), exports in ${exportDirectory}\n`,
  );
  const steps = [
    [
      'the batch through each API',
      seedExport,
      ['--batch', '--mode=run,stream,jobs', '--repeat=3', `--url=${url}`],
    ],
    ['the metrics after the batch', assertExport, [`--url=${url}`, '--format=csv,pdf,xlsx']],
    [
      'an overload burst: 24 exports at once against 2 slots and 4 queue places',
      seedExport,
      [
        '--records=20000',
        '--format=csv',
        '--mode=stream,jobs',
        '--concurrency=12',
        '--repeat=2',
        `--url=${url}`,
      ],
    ],
    // The burst's 429s are by design; the ratio then counts the exports that were let in.
    ['the metrics after the burst', assertExport, [`--url=${url}`, '--exclude-rejected']],
  ];
  for (const [title, script, args] of steps) {
    const code = await run(title, script, args);
    if (code !== 0) {
      process.stdout.write(`\ne2e: "${title}" exited with ${code}\n`);
      failed = true;
      break;
    }
  }
} catch (error) {
  process.stdout.write(`\ne2e: ${error.message}\n`);
  failed = true;
} finally {
  executor.child.kill('SIGTERM');
  const code = await executor.exited;
  if (code !== 0) {
    process.stdout.write(
      `\ne2e: the executor exited with ${code} on SIGTERM:\n${executor.output()}\n`,
    );
    failed = true;
  }
  rmSync(exportDirectory, { recursive: true, force: true });
}
process.stdout.write(failed ? '\ne2e: FAILED\n' : '\ne2e: passed\n');
process.exitCode = failed ? 1 : 0;

// pnpm bench: every case at every size, each in a fresh process, all in one run, so the ratios
// compare like with like on a shared, noisy machine. Prints one markdown table.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const scale = quick ? 0.1 : 1;

// [case, baseline it is compared with, sizes]
const plan = [
  ['raw fast-csv', null, [10_000, 100_000, 1_000_000]],
  ['export-core csv', 'raw fast-csv', [10_000, 100_000, 1_000_000]],
  ['raw csv-stringify', 'raw fast-csv', [10_000, 100_000, 1_000_000]],
  ['naive pdfkit DejaVu', null, [10_000, 100_000]],
  ['export-core pdf', 'naive pdfkit DejaVu', [10_000, 20_000, 100_000, 200_000, 1_000_000]],
  ['naive pdfkit Helvetica', 'naive pdfkit DejaVu', [10_000, 100_000]],
];
// Best of three below this size: small runs are the noisiest.
const repeatBelow = 200_000;

const caseScript = fileURLToPath(new URL('./run-case.mjs', import.meta.url));
const folder = await mkdtemp(join(tmpdir(), 'export-bench-'));
const measured = new Map();

try {
  for (const [name, , sizes] of plan) {
    for (const size of sizes) {
      const rows = Math.round(size * scale);
      const attempts = rows < repeatBelow ? 3 : 1;
      let best;
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        const path = join(folder, `${name.replaceAll(' ', '-')}-${rows}-${attempt}.out`);
        const { stdout } = await run(process.execPath, [caseScript, name, String(rows), path], {
          maxBuffer: 1024 * 1024,
        });
        const result = JSON.parse(stdout.trim().split('\n').at(-1));
        if (!best || result.seconds < best.seconds) best = result;
        await rm(path, { force: true });
      }
      measured.set(`${name}@${rows}`, best);
      process.stderr.write(
        `${name} ${rows} rows: ${best.seconds.toFixed(2)} s, ${best.peakRssMegabytes.toFixed(0)} MB\n`,
      );
    }
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}

const lines = [
  '| case | rows | seconds | rows/s | peak RSS MB | output MB | time vs baseline | rows/s vs baseline |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
];
for (const [name, baseline, sizes] of plan) {
  for (const size of sizes) {
    const rows = Math.round(size * scale);
    const result = measured.get(`${name}@${rows}`);
    const base = baseline ? measured.get(`${baseline}@${rows}`) : undefined;
    const timeRatio = base ? `${(result.seconds / base.seconds).toFixed(2)}× ${baseline}` : '';
    const speedRatio = base ? `${(base.seconds / result.seconds).toFixed(2)}×` : '';
    lines.push(
      `| ${name} | ${rows.toLocaleString('en-US')} | ${result.seconds.toFixed(2)} | ${Math.round(rows / result.seconds).toLocaleString('en-US')} | ${result.peakRssMegabytes.toFixed(0)} | ${(result.bytes / 1e6).toFixed(1)} | ${timeRatio} | ${speedRatio} |`,
    );
  }
}
console.log(lines.join('\n'));

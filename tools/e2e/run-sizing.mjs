// `pnpm bench:sizing`: how many concurrent exports this machine sustains. For each slot count,
// a fresh executor with EXPORT_MAX_CONCURRENT at that count, seed-export keeping every slot busy,
// and the server's CPU time from /proc; printed side by side as ratios to one slot.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExecutor } from './start-executor.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seedExport = join(root, 'tools/seed-export/dist/cli.js');
const quick = process.argv.includes('--quick');
const slotCounts = [1, 2, 4, 8];
const workloads = [
  {
    name: 'csv 20k rows (stream)',
    args: ['--records=20000', '--format=csv', '--mode=stream'],
    repeat: quick ? 2 : 6,
  },
  {
    name: 'pdf 5k rows (stream)',
    args: ['--records=5000', '--format=pdf', '--mode=stream'],
    repeat: quick ? 2 : 6,
  },
];
const ticksPerSecond = 100; // USER_HZ on Linux

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function peakRssMegabytes(pid) {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function runSeed(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [seedExport, ...args, '--json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(stdout)[0]) : reject(new Error(`seed-export exited ${code}`)),
    );
  });
}

const results = [];
for (const workload of workloads) {
  for (const slots of slotCounts) {
    const exportDirectory = mkdtempSync(join(tmpdir(), 'export-sizing-'));
    const executor = startExecutor(exportDirectory, {
      EXPORT_MAX_CONCURRENT: String(slots),
      EXPORT_MAX_QUEUE: '1000',
    });
    const url = await executor.url;
    try {
      // A warm-up export, so JIT and font loading are not billed to the first level.
      await runSeed([...workload.args, `--url=${url}`]);
      const cpuBefore = cpuSeconds(executor.child.pid);
      const summary = await runSeed([
        ...workload.args,
        `--concurrency=${slots}`,
        `--repeat=${workload.repeat}`,
        `--url=${url}`,
      ]);
      const cpu = cpuSeconds(executor.child.pid) - cpuBefore;
      const wallSeconds = summary.wallMs / 1000;
      results.push({
        workload: workload.name,
        slots,
        exports: summary.ok,
        exportsPerSecond: summary.ok / wallSeconds,
        rowsPerSecond: summary.rows / wallSeconds,
        p95Seconds: summary.p95Ms / 1000,
        serverCores: cpu / wallSeconds,
        peakRssMegabytes: peakRssMegabytes(executor.child.pid),
      });
    } finally {
      executor.child.kill('SIGTERM');
      await executor.exited;
      rmSync(exportDirectory, { recursive: true, force: true });
    }
  }
}

const header = [
  'workload',
  'slots',
  'exports',
  'exports/s',
  'rows/s',
  'x 1 slot',
  'p95 s',
  'server cores',
  'peak RSS MB',
];
const rows = results.map((result) => {
  const base = results.find((other) => other.workload === result.workload && other.slots === 1);
  return [
    result.workload,
    String(result.slots),
    String(result.exports),
    result.exportsPerSecond.toFixed(2),
    Math.round(result.rowsPerSecond).toLocaleString('en-US'),
    (result.rowsPerSecond / base.rowsPerSecond).toFixed(2),
    result.p95Seconds.toFixed(2),
    result.serverCores.toFixed(2),
    result.peakRssMegabytes.toFixed(0),
  ];
});
const widths = header.map((title, index) =>
  Math.max(title.length, ...rows.map((row) => row[index].length)),
);
const line = (cells) =>
  cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index])))
    .join('  ');
console.log(
  `node ${process.version}, ${availableParallelism()} cores; seed-export on the same machine`,
);
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));

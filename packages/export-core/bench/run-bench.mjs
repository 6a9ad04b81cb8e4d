// pnpm bench: every case at every size, each in a fresh process, all in one run, so the ratios
// compare like with like on a shared, noisy machine: the cases compared with each other run in
// turns, round after round, and each keeps its best round. Prints one markdown table.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
// `--only=hop` runs only the groups whose first case's name contains the word.
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice(7);
const scale = quick ? 0.1 : 1;

// Cases measured side by side, the first of each group being the baseline of the others.
const groups = [
  {
    cases: ['raw fast-csv', 'export-core csv', 'raw csv-stringify'],
    sizes: [10_000, 100_000, 1_000_000],
    rounds: () => 3,
  },
  {
    cases: ['naive pdfkit DejaVu', 'export-core pdf', 'naive pdfkit Helvetica'],
    sizes: [10_000, 100_000],
    rounds: () => 3,
  },
  {
    // XLSX: exceljs's streaming writer is the baseline; its rows/s and memory at each size.
    cases: ['exceljs streaming', 'export-core xlsx'],
    sizes: [10_000, 100_000, 1_000_000],
    rounds: (rows) => (rows < 1_000_000 ? 3 : 1),
  },
  {
    // What a workbook held in memory costs, beside ours.
    cases: ['exceljs in-memory', 'export-core xlsx'],
    sizes: [100_000],
    rounds: () => 1,
  },
  {
    // The cost of the hop to a worker thread: the same export in-process and through a pool.
    cases: ['export-core csv', 'export-core csv, pool'],
    sizes: [100_000, 1_000_000],
    rounds: () => 3,
  },
  {
    cases: ['export-core pdf', 'export-core pdf, pool'],
    sizes: [100_000],
    rounds: () => 3,
  },
  {
    // Bytes in, as the executor sends them: parsed in-process, or on the worker.
    cases: ['export-core csv from NDJSON', 'export-core csv from NDJSON, pool'],
    sizes: [1_000_000],
    rounds: () => 3,
  },
  {
    // The memory criterion: export-core at a size and at ten times that size.
    cases: ['export-core pdf'],
    sizes: [20_000, 200_000, 1_000_000],
    rounds: (rows) => (rows < 200_000 ? 3 : 1),
  },
];

const caseScript = fileURLToPath(new URL('./run-case.mjs', import.meta.url));
// parseJsonRecord against JSON.parse runs in a process of its own, as a group named after it.
const parseScript = fileURLToPath(new URL('./run-parse-bench.mjs', import.meta.url));
const parseGroup = 'parseJsonRecord';
const folder = await mkdtemp(join(tmpdir(), 'export-bench-'));
const rowsOf = (size) => Math.round(size * scale);

async function measure(name, rows) {
  const path = join(folder, `${name.replaceAll(/[ ,]+/g, '-')}-${rows}.out`);
  try {
    const { stdout } = await run(process.execPath, [caseScript, name, String(rows), path]);
    return JSON.parse(stdout.trim().split('\n').at(-1));
  } finally {
    await rm(path, { force: true });
    await rm(`${path}.ndjson`, { force: true });
  }
}

const table = [];
try {
  for (const group of groups.filter(
    (candidate) => only === undefined || candidate.cases.some((name) => name.includes(only)),
  )) {
    for (const size of group.sizes) {
      const rows = rowsOf(size);
      const best = new Map();
      for (let round = 0; round < group.rounds(rows); round += 1) {
        for (const name of group.cases) {
          const result = await measure(name, rows);
          const previous = best.get(name);
          if (!previous || result.seconds < previous.seconds) best.set(name, result);
          process.stderr.write(
            `${name} ${rows} rows, round ${round + 1}: ${result.seconds.toFixed(2)} s, ${result.peakRssMegabytes.toFixed(0)} MB\n`,
          );
        }
      }
      const baseline = group.cases.length > 1 ? best.get(group.cases[0]) : undefined;
      for (const name of group.cases) {
        table.push({ name, rows, result: best.get(name), baseline, baselineName: group.cases[0] });
      }
    }
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}

const lines = [
  '| case | rows | seconds | rows/s | peak RSS MB | output MB | time ÷ baseline | rows/s × baseline |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const { name, rows, result, baseline, baselineName } of table) {
  const compared = baseline && name !== baselineName;
  lines.push(
    [
      name,
      rows.toLocaleString('en-US'),
      result.seconds.toFixed(2),
      Math.round(rows / result.seconds).toLocaleString('en-US'),
      result.peakRssMegabytes.toFixed(0),
      (result.bytes / 1e6).toFixed(1),
      compared ? `${(result.seconds / baseline.seconds).toFixed(2)}` : baseline ? 'baseline' : '',
      compared ? `${(baseline.seconds / result.seconds).toFixed(2)}` : '',
    ]
      .join(' | ')
      .replace(/^/, '| ')
      .concat(' |'),
  );
}
if (table.length > 0) console.log(lines.join('\n'));
if (only === undefined || parseGroup.includes(only)) {
  const { stdout, stderr } = await run(process.execPath, [
    parseScript,
    ...(quick ? ['--quick'] : []),
  ]);
  process.stderr.write(stderr);
  console.log(`${table.length > 0 ? '\n' : ''}${stdout.trim()}`);
}

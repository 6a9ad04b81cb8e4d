// `node bench/run-abort-latency.mjs`: how long a pooled export takes to stop once its signal
// aborts (the executor aborts when a client goes away), to a file and to a Writable, and
// whether its temp file is gone. A benchmark, never a test: it prints a table.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createExportPool } from '../dist/index.js';
import { generateRecords } from './generate-records.mjs';

const rounds = 10;
const pool = createExportPool({ size: 2 });
const folder = await mkdtemp(join(tmpdir(), 'export-abort-'));
const nowhere = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });

async function abortAfter(format, destination, runMs) {
  const controller = new AbortController();
  const running = pool.run({
    source: { records: generateRecords(5_000_000) },
    format,
    destination,
    signal: controller.signal,
  });
  await new Promise((resolve) => setTimeout(resolve, runMs));
  const abortedAt = performance.now();
  controller.abort(new Error('client gone'));
  const outcome = await running.then(
    () => 'finished',
    (error) => error.code,
  );
  return { stopMs: performance.now() - abortedAt, outcome };
}

const lines = [
  '| export | rounds | stop ms p50 | stop ms max | outcome | files left |',
  '| --- | ---: | ---: | ---: | --- | ---: |',
];
try {
  for (const [format, toFile] of [
    ['csv', true],
    ['pdf', true],
    ['csv', false],
    ['pdf', false],
  ]) {
    const stops = [];
    const outcomes = new Set();
    for (let round = 0; round < rounds; round += 1) {
      const destination = toFile ? join(folder, `aborted.${format}`) : nowhere();
      const { stopMs, outcome } = await abortAfter(format, destination, 300 + round * 20);
      stops.push(stopMs);
      outcomes.add(outcome);
    }
    stops.sort((a, b) => a - b);
    const left = (await readdir(folder)).length;
    lines.push(
      `| ${format} to a ${toFile ? 'file' : 'Writable'} | ${rounds} | ${stops[Math.floor(rounds / 2)].toFixed(1)} | ${stops.at(-1).toFixed(1)} | ${[...outcomes].join(', ')} | ${left} |`,
    );
  }
} finally {
  await pool.close();
  await rm(folder, { recursive: true, force: true });
}
console.log(lines.join('\n'));

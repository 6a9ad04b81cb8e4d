// Runs one case in this process and prints its time and peak RSS as JSON, so every case is
// measured in a fresh process of its own.
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { cases } from './cases.mjs';

const [name, rowsText, path] = process.argv.slice(2);
const chosen = cases[name];
if (!chosen || !rowsText || !path) {
  console.error('usage: run-case.mjs <case> <rows> <path>');
  process.exit(2);
}
const { prepare, run, cleanup } = typeof chosen === 'function' ? { run: chosen } : chosen;
const rows = Number(rowsText);
const prepared = await prepare?.(rows, path);
const startedAt = performance.now();
await run(rows, path, prepared);
const seconds = (performance.now() - startedAt) / 1000;
await cleanup?.(prepared);
const { size } = await stat(path);
const peakRssMegabytes = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ seconds, peakRssMegabytes, bytes: size }));

// parseJsonRecord against JSON.parse, side by side in one process: the same NDJSON lines parsed
// by each in turns, round after round, each keeping its best round. The usual record shape
// takes the fast path (JSON.parse, then a walk beside its value that reads the number
// literals); lines with an integer beyond 2^53 take the exact parser. Prints one markdown
// table; `--quick` parses a tenth of the lines. Run by run-bench.mjs (`--only=parseJsonRecord`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { generateRecords } from './generate-records.mjs';

const quick = process.argv.includes('--quick');
const lineCount = quick ? 20_000 : 200_000;
const rounds = quick ? 7 : 15;

/** parseJsonRecord is not part of the package's API, so it is bundled from its source here. */
async function loadParseJsonRecord(folder) {
  const entry = fileURLToPath(new URL('../src/source/parse-json-record.ts', import.meta.url));
  await build({
    entry: { 'parse-json-record': entry },
    outDir: folder,
    format: 'esm',
    target: 'node20',
    dts: false,
    silent: true,
    config: false,
  });
  const module = await import(pathToFileURL(join(folder, 'parse-json-record.js')).href);
  return module.parseJsonRecord;
}

function usualLines() {
  return Array.from(generateRecords(lineCount), (record) => JSON.stringify(record));
}

/** The usual shape with an order id beyond 2^53, which JSON.parse would round. */
function slowPathLines() {
  return Array.from(generateRecords(lineCount), (record) =>
    JSON.stringify(record).replace(
      '{',
      `{"orderId":${1_234_567_890_123_456_789n + BigInt(record.id)},`,
    ),
  );
}

function timeOf(parse, lines) {
  let sink = 0;
  const startedAt = performance.now();
  for (let index = 0; index < lines.length; index += 1) {
    if (parse(lines[index]) !== null) sink += 1;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  if (sink !== lines.length) throw new Error('a line did not parse');
  return seconds;
}

function compare(parseJsonRecord, lines) {
  const best = { jsonParse: Number.POSITIVE_INFINITY, parseJsonRecord: Number.POSITIVE_INFINITY };
  // A warm-up round each, then rounds in turns.
  timeOf(JSON.parse, lines);
  timeOf(parseJsonRecord, lines);
  for (let round = 0; round < rounds; round += 1) {
    best.jsonParse = Math.min(best.jsonParse, timeOf(JSON.parse, lines));
    best.parseJsonRecord = Math.min(best.parseJsonRecord, timeOf(parseJsonRecord, lines));
  }
  return best;
}

/** A stand-in for the reader before issue 15: lines split at LF and given to JSON.parse. */
async function* jsonParseLines(bytes) {
  let start = 0;
  for (let end = bytes.indexOf(10); end !== -1; end = bytes.indexOf(10, start)) {
    yield JSON.parse(bytes.toString('utf8', start, end));
    start = end + 1;
  }
}

/** What the parse costs a whole export: NDJSON in, CSV out, with either reader, in turns. */
async function endToEnd(records) {
  const { fromNdjson, runExport } = await import('../dist/index.js');
  const bytes = Buffer.from(records.map((line) => `${line}\n`).join(''));
  const exportWith = async (source) => {
    const startedAt = performance.now();
    await runExport({
      source,
      format: 'csv',
      destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    return (performance.now() - startedAt) / 1000;
  };
  const best = { jsonParse: Number.POSITIVE_INFINITY, exact: Number.POSITIVE_INFINITY };
  const exportRounds = quick ? 3 : 5;
  for (let round = 0; round <= exportRounds; round += 1) {
    const jsonParse = await exportWith(jsonParseLines(bytes));
    const exact = await exportWith(fromNdjson([bytes]));
    // Round 0 warms up.
    if (round === 0) continue;
    best.jsonParse = Math.min(best.jsonParse, jsonParse);
    best.exact = Math.min(best.exact, exact);
  }
  process.stderr.write(
    `NDJSON to CSV: JSON.parse lines ${best.jsonParse.toFixed(3)} s, fromNdjson ${best.exact.toFixed(3)} s\n`,
  );
  return [
    '| export, NDJSON to CSV | rows | JSON.parse lines s | fromNdjson (exact) s | rows/s | time ÷ JSON.parse lines |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| usual record | ${records.length.toLocaleString('en-US')} | ${best.jsonParse.toFixed(3)} | ${best.exact.toFixed(3)} | ${Math.round(records.length / best.exact).toLocaleString('en-US')} | ${(best.exact / best.jsonParse).toFixed(2)} |`,
  ];
}

const folder = await mkdtemp(join(tmpdir(), 'export-parse-bench-'));
try {
  const parseJsonRecord = await loadParseJsonRecord(folder);
  const lines = [
    '| parse | lines | JSON.parse s | parseJsonRecord s | lines/s | time ÷ JSON.parse |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, input] of [
    ['usual record (fast path)', usualLines()],
    ['with an id beyond 2^53 (exact parser)', slowPathLines()],
  ]) {
    const best = compare(parseJsonRecord, input);
    process.stderr.write(
      `${name}: JSON.parse ${best.jsonParse.toFixed(3)} s, parseJsonRecord ${best.parseJsonRecord.toFixed(3)} s\n`,
    );
    lines.push(
      `| ${name} | ${input.length.toLocaleString('en-US')} | ${best.jsonParse.toFixed(3)} | ${best.parseJsonRecord.toFixed(3)} | ${Math.round(input.length / best.parseJsonRecord).toLocaleString('en-US')} | ${(best.parseJsonRecord / best.jsonParse).toFixed(2)} |`,
    );
  }
  lines.push('', ...(await endToEnd(usualLines())));
  console.log(lines.join('\n'));
} finally {
  await rm(folder, { recursive: true, force: true });
}

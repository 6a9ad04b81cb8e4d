#!/usr/bin/env node
// Proves the packages work as published: pack them with `pnpm pack`, install the tarballs into
// a fresh npm project outside the workspace, import each from plain Node ESM, and typecheck a
// TypeScript consumer with moduleResolution NodeNext. Run by `pnpm test:consumer` and .ci/run.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const packageDirectories = [
  'export-core',
  'export-fastify',
  'export-limiter',
  'export-metrics',
].map((name) => join(repositoryRoot, 'packages', name));
const allowedTarballFiles =
  /^package\/(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+\.(js|d\.ts))$/;

const workDirectory = mkdtempSync(join(tmpdir(), 'export-consumer-'));
const tarballDirectory = join(workDirectory, 'tarballs');
const consumerDirectory = join(workDirectory, 'consumer');
mkdirSync(tarballDirectory);
mkdirSync(consumerDirectory);

function run(command, args, cwd) {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

function read(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8' });
}

/** What a strict NodeNext TypeScript project of a user's would have. */
const consumerCompilerOptions = {
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  target: 'ES2022',
  strict: true,
  verbatimModuleSyntax: true,
  types: ['node'],
};

/** Copies each package's examples (not their tests) to `folder/<package>/`; returns their paths. */
function copyExamples(folder) {
  const copied = [];
  for (const directory of packageDirectories) {
    const source = join(directory, 'examples');
    const target = join(folder, basename(directory));
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(source).filter((file) => !file.endsWith('.test.ts'))) {
      copyFileSync(join(source, name), join(target, name));
      copied.push(join(basename(directory), name));
    }
  }
  return copied;
}

let succeeded = false;
try {
  for (const directory of packageDirectories) {
    run('pnpm', ['pack', '--pack-destination', tarballDirectory], directory);
  }
  const tarballs = readdirSync(tarballDirectory).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== packageDirectories.length) {
    throw new Error(`expected ${packageDirectories.length} tarballs, got ${tarballs.join(', ')}`);
  }
  for (const tarball of tarballs) {
    const entries = read('tar', ['-tzf', join(tarballDirectory, tarball)])
      .trim()
      .split('\n');
    const unexpected = entries.filter((entry) => !allowedTarballFiles.test(entry));
    if (unexpected.length > 0) {
      throw new Error(`${tarball} ships files it should not: ${unexpected.join(', ')}`);
    }
  }

  const dependencies = Object.fromEntries(
    tarballs.map((tarball) => [
      tarball.replace(/^org-/, '@org/').replace(/-\d+\.\d+\.\d+.*\.tgz$/, ''),
      `file:../tarballs/${tarball}`,
    ]),
  );
  writeFileSync(
    join(consumerDirectory, 'package.json'),
    `${JSON.stringify(
      {
        name: 'export-consumer',
        private: true,
        type: 'module',
        dependencies: { ...dependencies, fastify: '^5.12.8', 'prom-client': '^15.1.3' },
        devDependencies: { typescript: '5.9.3', '@types/node': '^20.19.0' },
      },
      null,
      2,
    )}\n`,
  );

  writeFileSync(
    join(consumerDirectory, 'consumer.mjs'),
    `import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { createExportPool, ExportError, exportFormats, normalizeColumns, runExport } from '@org/export-core';
import { createLimiter, LimiterError, normalizeLimiterOptions } from '@org/export-limiter';
import { fastifyExport, httpStatusOfExportError } from '@org/export-fastify';
import { createExportMetrics, exportMetricNames } from '@org/export-metrics';
import Fastify from 'fastify';
import { Registry } from 'prom-client';

assert.deepEqual(exportFormats, ['csv', 'pdf', 'xlsx']);
assert.deepEqual(normalizeColumns(['id', { key: 'pnl', header: 'PnL' }]).map((c) => c.header), ['id', 'PnL']);
assert.throws(() => normalizeColumns([]), (error) => error instanceof ExportError && error.code === 'EXPORT_NO_COLUMNS');
assert.equal(normalizeLimiterOptions().maxConcurrent, 5);
assert.throws(() => normalizeLimiterOptions({ maxQueue: -1 }), (error) => error instanceof LimiterError && error.code === 'LIMITER_INVALID_OPTION');
const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
const first = limiter.run(() => new Promise((resolve) => setTimeout(() => resolve('done'), 20)));
await assert.rejects(limiter.run(async () => 'never'), (error) => error.code === 'LIMITER_QUEUE_FULL' && error.retryAfterSeconds >= 1);
assert.equal(await first, 'done');
await limiter.close();
const registry = new Registry();
createExportMetrics({ registry, limits: { maxConcurrent: 5, maxQueue: 100 } });
const exposition = await registry.metrics();
for (const name of Object.values(exportMetricNames)) assert.ok(exposition.includes(\`# TYPE \${name} \`), name);
const trades = Array.from({ length: 500 }, (_, id) => ({ id, symbol: 'İSTANBUL Αθήνα', pnl: id / 3 }));
const csv = await runExport({ source: trades, format: 'csv', destination: 'trades.csv' });
assert.equal(csv.rows, 500);
assert.match(await readFile('trades.csv', 'utf8'), /^id,symbol,pnl\\r\\n0,İSTANBUL Αθήνα,0\\r\\n/);
// The PDF needs the bundled font to resolve from the installed package, not the workspace.
const pdf = await runExport({ source: trades, format: 'pdf', destination: 'trades.pdf', pdf: { title: 'Trades' } });
const pdfBytes = await readFile('trades.pdf');
assert.equal(pdf.bytes, pdfBytes.length);
assert.equal(pdfBytes.subarray(0, 5).toString(), '%PDF-');
assert.match(pdfBytes.subarray(-8).toString(), /%%EOF/);
// The same exports on worker threads: the worker file and its fonts resolve from the tarball too.
const pool = createExportPool({ size: 2 });
const ndjson = Buffer.from(trades.map((trade) => \`\${JSON.stringify(trade)}\\n\`).join(''));
const pooledCsv = await pool.run({ source: { ndjson }, format: 'csv', destination: 'pooled.csv' });
assert.equal(pooledCsv.sha256, csv.sha256);
const pooledPdf = await pool.run({ source: { records: trades }, format: 'pdf', destination: 'pooled.pdf', pdf: { title: 'Trades' } });
assert.equal(pooledPdf.rows, 500);
assert.equal((await readFile('pooled.pdf')).subarray(0, 5).toString(), '%PDF-');
// yazl and the xlsx writer resolve from the tarball: a zip that opens and ends with its central directory.
const pooledXlsx = await pool.run({ source: { ndjson }, format: 'xlsx', destination: 'pooled.xlsx' });
assert.equal(pooledXlsx.rows, 500);
const xlsxBytes = await readFile('pooled.xlsx');
assert.equal(pooledXlsx.bytes, xlsxBytes.length);
assert.equal(xlsxBytes.subarray(0, 2).toString(), 'PK');
assert.equal(xlsxBytes.readUInt32LE(xlsxBytes.length - 22), 0x06054b50);
await assert.rejects(pool.run({ source: { json: Buffer.from('[1]') }, format: 'csv', destination: 'bad.csv' }), (error) => error instanceof ExportError && error.code === 'EXPORT_INVALID_RECORD' && error.row === 0);
await pool.close();
await rm('trades.csv');
await rm('trades.pdf');
await rm('pooled.csv');
await rm('pooled.pdf');
await rm('pooled.xlsx');
// The Fastify plugin, over a real connection: a download, a refusal before the first byte, and
// a client that hangs up, counted as cancelled.
const app = Fastify();
const fastifyRegistry = new Registry();
const fastifyLimiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
let releaseHeld = () => {};
const held = new Promise((resolve) => { releaseHeld = resolve; });
await app.register(fastifyExport, { limiter: fastifyLimiter, metrics: createExportMetrics({ registry: fastifyRegistry }) });
app.get('/trades', async (_request, reply) => reply.export({ format: 'csv', filename: 'Şükrü.csv', source: trades }));
app.get('/held', async (_request, reply) => reply.export({ format: 'csv', source: (async function* () { yield { id: 1 }; await held; })() }));
app.post('/upload', async (request, reply) => reply.export({ format: 'pdf', source: request.ndjsonRecords() }));
await app.listen({ port: 0, host: '127.0.0.1' });
const base = \`http://127.0.0.1:\${app.server.address().port}\`;
const download = await fetch(\`\${base}/trades\`);
assert.equal(download.status, 200);
assert.equal(download.headers.get('content-disposition'), \`attachment; filename="Sukru.csv"; filename*=UTF-8''%C5%9E%C3%BCkr%C3%BC.csv\`);
assert.match(await download.text(), /^id,symbol,pnl\\r\\n0,İSTANBUL Αθήνα,0\\r\\n/);
const upload = await fetch(\`\${base}/upload\`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: ndjson });
assert.equal(Buffer.from(await upload.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
const holdingClient = new AbortController();
fetch(\`\${base}/held\`, { signal: holdingClient.signal }).catch(() => {});
while (fastifyLimiter.stats().running === 0) await new Promise((resolve) => setTimeout(resolve, 10));
const refused = await fetch(\`\${base}/trades\`);
assert.equal(refused.status, 429);
assert.ok(Number(refused.headers.get('retry-after')) >= 1);
assert.equal((await refused.json()).code, 'LIMITER_QUEUE_FULL');
holdingClient.abort();
await new Promise((resolve) => setTimeout(resolve, 100));
releaseHeld();
assert.equal(httpStatusOfExportError(new ExportError('EXPORT_INVALID_RECORD', 'bad')), 400);
let counted = '';
for (let attempt = 0; attempt < 100 && !counted.includes('outcome="cancelled"'); attempt += 1) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  counted = await fastifyRegistry.metrics();
}
assert.match(counted, /export_requests_total\\{format="csv",outcome="rejected"\\} 1/);
assert.match(counted, /export_requests_total\\{format="csv",outcome="cancelled"\\} 1/);
app.server.closeAllConnections();
await app.close();
await fastifyLimiter.close();
console.log('consumer.mjs: all four packages import and work from plain Node ESM, CSV and PDF exports included, in-process, on a worker pool and as a Fastify response');
`,
  );

  writeFileSync(
    join(consumerDirectory, 'consumer.ts'),
    `import {
  type ColumnOptions,
  ExportError,
  type ExportFormat,
  type ExportPool,
  type ExportResult,
  createExportPool,
  normalizeColumns,
  runExport,
} from '@org/export-core';
import { type LimiterOptions, type NormalizedLimiterOptions, normalizeLimiterOptions } from '@org/export-limiter';
import { attachmentDisposition, fastifyExport, type ReplyExportOptions } from '@org/export-fastify';
import { createExportMetrics, type ExportMetrics } from '@org/export-metrics';
import Fastify from 'fastify';
import { Registry } from 'prom-client';

const format: ExportFormat = 'csv';
const column: ColumnOptions = { key: 'pnl', align: 'right' };
const header: string = normalizeColumns([column])[0]?.header ?? '';
const options: LimiterOptions = { maxConcurrent: 2 };
const limits: NormalizedLimiterOptions = normalizeLimiterOptions(options);
const metrics: ExportMetrics = createExportMetrics({ registry: new Registry() });
metrics.requestsTotal.inc({ format, outcome: 'success' });
const code: string = new ExportError('EXPORT_NO_COLUMNS', 'none').code;
const pending: Promise<ExportResult> = runExport({ source: [{ a: 1 }], format, destination: process.stdout, csv: { profile: 'excel' } });
const pool: ExportPool = createExportPool({ size: 1, maxHeapMb: 256 });
const pooled: Promise<ExportResult> = pool.run({ source: { ndjson: { file: 'in.ndjson' } }, format, destination: 'out.csv' });
// @ts-expect-error: a pool takes bytes or records in a wrapper, not a bare array
pool.run({ source: [{ a: 1 }], format, destination: 'out.csv' });
// @ts-expect-error: an unknown format must not typecheck
const wrong: ExportFormat = 'docx';
// @ts-expect-error: a column key that is not a field of the typed records
runExport({ source: [{ amount: 1 }], format: 'csv', columns: ['amuont'], destination: 'out.csv' });
// @ts-expect-error: PDF options for a CSV
runExport({ source: [{ a: 1 }], format: 'csv', pdf: { title: 'x' }, destination: 'out.csv' });
const workbook: Promise<ExportResult> = runExport({ source: [{ a: 1 }], format: 'xlsx', xlsx: { sheetName: 'Trades' }, destination: 'out.xlsx' });
// @ts-expect-error: CSV options for an XLSX
runExport({ source: [{ a: 1 }], format: 'xlsx', csv: { profile: 'excel' }, destination: 'out.xlsx' });
const app = Fastify();
await app.register(fastifyExport, { metrics, limiterKey: (request) => request.headers['x-user'] as string | undefined });
app.get('/trades', async (request, reply) => reply.export({ format, filename: 'trades.csv', source: request.ndjsonRecords() }));
app.get('/pooled', async (_request, reply) => reply.export({ format, run: ({ destination, signal }) => pool.run({ source: { records: [] }, format, destination, signal }) }));
const disposition: string = attachmentDisposition('Şükrü.csv');
// @ts-expect-error: either a source or a run, not both
const both: ReplyExportOptions = { format, source: [], run: async () => pending };
export { both, code, disposition, header, limits, pending, pooled, workbook, wrong };
`,
  );
  writeFileSync(
    join(consumerDirectory, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: { ...consumerCompilerOptions, noEmit: true },
        files: ['consumer.ts'],
      },
      null,
      2,
    )}\n`,
  );

  // Every README example, copied as a user would: compiled against the tarballs, then run.
  const examples = copyExamples(join(consumerDirectory, 'examples'));
  writeFileSync(
    join(consumerDirectory, 'tsconfig.examples.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          ...consumerCompilerOptions,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          outDir: 'examples-out',
        },
        include: ['examples'],
      },
      null,
      2,
    )}\n`,
  );

  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], consumerDirectory);
  run('node', ['consumer.mjs'], consumerDirectory);
  const tsc = join(consumerDirectory, 'node_modules', '.bin', 'tsc');
  run(tsc, ['-p', '.'], consumerDirectory);
  console.log('consumer.ts: typechecks with moduleResolution NodeNext');
  run(tsc, ['-p', 'tsconfig.examples.json'], consumerDirectory);
  const exportDirectory = join(workDirectory, 'exports');
  for (const example of examples) {
    const compiled = join('examples-out', example.replace(/\.ts$/, '.js'));
    execFileSync('node', [compiled], {
      cwd: consumerDirectory,
      env: { ...process.env, EXPORT_DIR: exportDirectory },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 60_000,
    });
  }
  console.log(
    `README examples: ${examples.length} compile against the tarballs and run to completion`,
  );
  succeeded = true;
} finally {
  if (succeeded) rmSync(workDirectory, { recursive: true, force: true });
  else console.error(`consumer test failed; its files are kept in ${workDirectory}`);
}
console.log('consumer test: 1 passed, 0 failed');

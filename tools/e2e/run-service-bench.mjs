// `pnpm bench:service`: what running exports costs the executor's control plane, and how fast
// they go. Every scenario runs in a fresh executor per configuration (the current build with
// EXPORT_WORKERS=1 and unset; with --baseline=<checkout>, that checkout's build first), the
// configurations interleaved round by round so the machine's noise hits all of them alike.
// The load comes from a worker thread, so the latency samplers on the main thread never wait
// behind record generation. Printed as markdown tables of ratios; a benchmark, never a test.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const usage = `Usage: node tools/e2e/run-service-bench.mjs [options]   (or pnpm bench:service)

  --baseline=PATH  another checkout whose executor is built (services/executor/dist); every
                   scenario then runs against it too, and ratios are to it
  --quick          fewer rows, a smaller JSON body and one round instead of three
  --json=FILE      also write the raw results (every sample) to FILE
  --help           this text`;

const serverEntryPath = 'services/executor/dist/server.js';
const ticksPerSecond = 100; // USER_HZ on Linux
const keptBytes = 64 * 1024;
const mebibyte = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Shared by both threads: one HTTP exchange, streamed both ways, and the server's /proc figures.

/** Sends `body` as the server reads it, reads the whole answer, keeps only its first 64 KiB. */
function exchange({ url, method = 'GET', headers = {}, body, agent, timeoutMs }) {
  return new Promise((resolvePromise, reject) => {
    const startedAt = performance.now();
    const request = httpRequest(url, { method, headers, agent, timeout: timeoutMs });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const kept = [];
      let bytes = 0;
      let lines = 0;
      let tail = Buffer.alloc(0);
      response.on('data', (chunk) => {
        if (bytes < keptBytes) kept.push(chunk);
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
        tail = Buffer.concat([tail, chunk.subarray(-16)]).subarray(-16);
      });
      response.on('error', reject);
      response.on('end', () => {
        if (!response.complete) {
          reject(new Error('the server cut the answer short'));
          return;
        }
        resolvePromise({
          status: response.statusCode ?? 0,
          bytes,
          lines,
          text: Buffer.concat(kept).subarray(0, keptBytes).toString('utf8'),
          tail: tail.toString('latin1'),
          ms: performance.now() - startedAt,
        });
      });
    });
    if (body === undefined) request.end();
    // An early refusal may close before the upload ends: its answer is what counts.
    else pipeline(Readable.from(body), request).catch(() => {});
  });
}

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime (fields 14 and 15), summed over all of the process's threads.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** VmHWM (peak) or VmRSS (now), in MiB. */
function memoryMegabytes(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// The load, in a worker thread: seed-export's trade records, or many tiny ones in one JSON body.

const traders = [
  'Ada Lovelace',
  'Şükrü Öztürk',
  'Αλέξανδρος Παππάς',
  'Дмитрий Иванов',
  'Łucja Żak',
];
const symbols = ['ACME', 'INIT', 'GLOBX', 'NRTH', 'ZETA', '00123'];
const epoch = Date.UTC(2026, 0, 2, 9, 0, 0);

/** tools/seed-export/src/generate-records.ts's tradeRecord: the same index, the same record. */
function tradeRecord(index) {
  return {
    id: index,
    symbol: symbols[index % symbols.length],
    side: index % 3 === 0 ? 'sell' : 'buy',
    quantity: ((index * 7919) % 1000) + 1,
    price: Math.round(((index * 104_729) % 100_000) + 100) / 100,
    trader: traders[index % traders.length],
    executedAt: new Date(epoch + index * 1000).toISOString(),
    note: index % 97 === 0 ? '=HYPERLINK("http://example.invalid")' : `order ${index}, "limit"`,
  };
}

async function* ndjsonChunks(rows) {
  for (let first = 1; first <= rows; first += 500) {
    let chunk = '';
    for (let index = first; index <= Math.min(first + 499, rows); index += 1) {
      chunk += `${JSON.stringify(tradeRecord(index))}\n`;
    }
    yield chunk;
  }
}

const jsonBodyPrefix = '{"format":"csv","data":[';
const tinyRecord = (index) => `{"id":${index},"v":"x"}`;

/** As many tiny records as fit in `targetBytes` of `{"format":"csv","data":[...]}`. */
function tinyRecordsBody(targetBytes) {
  let records = 0;
  let bytes = jsonBodyPrefix.length + 2;
  for (;;) {
    const next = tinyRecord(records + 1).length + (records === 0 ? 0 : 1);
    if (bytes + next > targetBytes) break;
    bytes += next;
    records += 1;
  }
  async function* chunks() {
    yield jsonBodyPrefix;
    for (let first = 1; first <= records; first += 4096) {
      const last = Math.min(first + 4095, records);
      const parts = [];
      for (let index = first; index <= last; index += 1) parts.push(tinyRecord(index));
      yield (first === 1 ? '' : ',') + parts.join(',');
    }
    yield ']}';
  }
  return { records, bytes, chunks };
}

async function streamExport(task, agent) {
  const answer = await exchange({
    url: `${task.url}/export/stream?format=${task.format}&title=Bench`,
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: ndjsonChunks(task.rows),
    agent,
    timeoutMs: task.timeoutMs,
  });
  let problem;
  if (answer.status !== 200) problem = `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
  else if (task.format === 'pdf' && !answer.text.startsWith('%PDF-')) problem = 'not a PDF';
  else if (task.format === 'pdf' && !answer.tail.includes('%%EOF')) problem = 'no %%EOF';
  else if (task.format === 'csv' && answer.lines !== task.rows + 1) {
    problem = `${answer.lines} CSV lines for ${task.rows} rows`;
  }
  return { status: answer.status, bytes: answer.bytes, ms: answer.ms, problem };
}

async function runExport(task, agent, body) {
  const answer = await exchange({
    url: `${task.url}/export/run`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.bytes) },
    body: body.chunks(),
    agent,
    timeoutMs: task.timeoutMs,
  });
  let parsed = {};
  try {
    parsed = JSON.parse(answer.text);
  } catch {}
  const rows = parsed.result?.rows;
  let problem;
  if (answer.status !== 200) problem = `HTTP ${answer.status} ${parsed.code ?? ''}`.trim();
  else if (rows !== body.records) problem = `${rows} rows written of ${body.records}`;
  return {
    status: answer.status,
    code: parsed.code,
    bodyBytes: body.bytes,
    records: body.records,
    ms: answer.ms,
    problem,
  };
}

/** `concurrency` exports at once; wall time from the first request to the last byte. */
async function runLoad(task) {
  const agent = new Agent({ keepAlive: true, maxSockets: task.concurrency });
  // Sized before the clock starts: counting three million records takes the client a while.
  const body = task.kind === 'run' ? tinyRecordsBody(task.bodyBytes) : undefined;
  const sendOne = async () => {
    try {
      return await (body ? runExport(task, agent, body) : streamExport(task, agent));
    } catch (error) {
      return { status: 0, ms: Number.NaN, problem: error.message };
    }
  };
  parentPort?.postMessage({ type: 'started' });
  const cpuBefore = cpuSeconds(task.pid);
  const startedAt = performance.now();
  const exports = await Promise.all(Array.from({ length: task.concurrency }, sendOne));
  const wallMs = performance.now() - startedAt;
  const cpu = cpuSeconds(task.pid) - cpuBefore;
  agent.destroy();
  const succeeded = exports.filter((result) => result.problem === undefined);
  const rowsEach = task.kind === 'stream' ? task.rows : (exports[0]?.records ?? 0);
  return { wallMs, cpuSeconds: cpu, rows: succeeded.length * rowsEach, exports };
}

if (!isMainThread) {
  runLoad(workerData).then((result) => parentPort.postMessage({ type: 'done', result }));
}

// ---------------------------------------------------------------------------------------------
// The main thread: executors, samplers, scenarios, tables.

function runInWorker(task, signal, onStarted) {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: task });
    const onAbort = () => {
      worker.terminate();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message) => {
      if (message.type === 'started') onStarted();
      else {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(message.result);
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load worker exited with ${code}`)));
  });
}

/** GET `url` every `intervalMs`, one request at a time on one keep-alive connection. */
function startSampler(url, intervalMs) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let errors = 0;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const startedAt = performance.now();
      try {
        const answer = await exchange({ url, agent, timeoutMs: 60_000 });
        if (answer.status === 200) latencies.push(answer.ms);
        else errors += 1;
      } catch {
        errors += 1;
      }
      const wait = startedAt + intervalMs - performance.now();
      if (wait > 0 && !stopping) await sleep(wait);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      agent.destroy();
      return { latencies, errors };
    },
    abort() {
      stopping = true;
      agent.destroy();
    },
  };
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

// Whatever is left when the bench ends, however it ends, is killed and removed.
const liveExecutors = new Set();
const temporaryDirectories = new Set();

/**
 * tools/e2e/start-executor.mjs for the checkout at `root`. LOG_LEVEL=warn hides the listen line,
 * so the port is chosen here and /health polled until it answers.
 */
async function startExecutorAt(root, exportDirectory, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, serverEntryPath)], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      EXPORT_DIR: exportDirectory,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveExecutors.add(child);
  let output = '';
  const keepOutput = (chunk) => {
    output = (output + chunk).slice(-keptBytes);
  };
  child.stdout.setEncoding('utf8').on('data', keepOutput);
  child.stderr.setEncoding('utf8').on('data', keepOutput);
  const exited = new Promise((resolvePromise) =>
    child.once('exit', (code, signal) => {
      liveExecutors.delete(child);
      resolvePromise(code ?? signal);
    }),
  );
  let exitCode;
  exited.then((code) => {
    exitCode = code;
  });
  const url = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: false });
  for (const deadline = performance.now() + 15_000; performance.now() < deadline; ) {
    if (exitCode !== undefined) break;
    const answer = await exchange({ url: `${url}/health`, agent, timeoutMs: 1000 }).catch(
      () => undefined,
    );
    if (answer?.status === 200) return { child, url, exited, output: () => output };
    await sleep(100);
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`the executor at ${root} did not answer /health (exit ${exitCode}):\n${output}`);
}

async function stopExecutor(executor) {
  executor.child.kill('SIGTERM');
  const stopped = await Promise.race([executor.exited.then(() => true), sleep(10_000, false)]);
  if (!stopped) {
    executor.child.kill('SIGKILL');
    await executor.exited;
  }
}

/** One scenario against one configuration, in a fresh executor, within the scenario's timeout. */
async function runScenario(scenario, configuration, round) {
  const exportDirectory = mkdtempSync(join(tmpdir(), 'export-service-bench-'));
  temporaryDirectories.add(exportDirectory);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`timed out after ${scenario.timeoutSeconds} s`)),
    scenario.timeoutSeconds * 1000,
  );
  const samplers = [];
  let executor;
  const measure = async () => {
    executor = await startExecutorAt(configuration.root, exportDirectory, {
      LOG_LEVEL: 'warn',
      EXPORT_MAX_CONCURRENT: '5',
      EXPORT_MAX_ROWS: '100000000',
      EXPORT_SHUTDOWN_TIMEOUT_S: '5',
      ...configuration.env,
    });
    executor.exited.then((code) =>
      controller.abort(new Error(`the executor exited with ${code}:\n${executor.output()}`)),
    );
    const { pid } = executor.child;
    const task = { url: executor.url, pid, timeoutMs: scenario.timeoutSeconds * 1000 };
    // JIT, fonts and any worker pool warmed up first, so the measured load starts hot.
    const warmUp = await runInWorker({ ...task, ...scenario.warmUp }, controller.signal, () => {});
    if (warmUp.exports.some((result) => result.problem)) {
      throw new Error(`warm-up failed: ${warmUp.exports.find((result) => result.problem).problem}`);
    }
    const idleSampler = startSampler(`${executor.url}/health`, 50);
    samplers.push(idleSampler);
    await sleep(2000);
    const idle = await idleSampler.stop();
    const idleRssMegabytes = memoryMegabytes(pid, 'VmRSS');
    const loadSamplers = [];
    const load = await runInWorker({ ...task, ...scenario.load }, controller.signal, () => {
      for (const path of scenario.endpoints) {
        loadSamplers.push(startSampler(`${executor.url}${path}`, scenario.intervalMs));
      }
      samplers.push(...loadSamplers);
    });
    const sampled = await Promise.all(loadSamplers.map((sampler) => sampler.stop()));
    return {
      idleHealth: idle.latencies,
      idleRssMegabytes,
      peakRssMegabytes: memoryMegabytes(pid, 'VmHWM'),
      endpoints: Object.fromEntries(
        scenario.endpoints.map((path, index) => [path, sampled[index]]),
      ),
      ...load,
    };
  };
  const aborted = new Promise((_resolve, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason)),
  );
  aborted.catch(() => {});
  try {
    const measured = await Promise.race([measure(), aborted]);
    return { scenario: scenario.name, configuration: configuration.label, round, ...measured };
  } catch (error) {
    return {
      scenario: scenario.name,
      configuration: configuration.label,
      round,
      error: error.message,
    };
  } finally {
    clearTimeout(timer);
    for (const sampler of samplers) sampler.abort();
    controller.abort(new Error('done'));
    if (executor) await stopExecutor(executor);
    rmSync(exportDirectory, { recursive: true, force: true });
    temporaryDirectories.delete(exportDirectory);
  }
}

/** The nearest-rank percentile (`fraction` from 0 to 1); NaN when empty. */
function percentile(values, fraction) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(fraction * sorted.length)) - 1];
}

const median = (values) => percentile(values, 0.5);
const latencySummary = (values) => ({
  p50: percentile(values, 0.5),
  p99: percentile(values, 0.99),
  max: percentile(values, 1),
  samples: values.length,
});

/** One configuration's rounds of one scenario: latency samples pooled, other figures' medians. */
function summarize(runs) {
  const measured = runs.filter((run) => run.error === undefined);
  const exports = measured.flatMap((run) => run.exports);
  const endpoints = {};
  for (const path of Object.keys(measured[0]?.endpoints ?? {})) {
    endpoints[path] = latencySummary(measured.flatMap((run) => run.endpoints[path].latencies));
    endpoints[path].errors = measured.reduce((sum, run) => sum + run.endpoints[path].errors, 0);
  }
  return {
    runs: measured.length,
    failedRuns: runs.length - measured.length,
    failedExports: exports.filter((result) => result.problem !== undefined).length,
    errors: [
      ...runs.filter((run) => run.error).map((run) => run.error),
      ...exports.filter((result) => result.problem).map((result) => result.problem),
    ].slice(0, 3),
    endpoints,
    idleHealth: latencySummary(measured.flatMap((run) => run.idleHealth)),
    rowsPerSecond: median(measured.map((run) => run.rows / (run.wallMs / 1000))),
    cpuSeconds: median(measured.map((run) => run.cpuSeconds)),
    cores: median(measured.map((run) => run.cpuSeconds / (run.wallMs / 1000))),
    wallSeconds: median(measured.map((run) => run.wallMs / 1000)),
    requestSeconds: median(exports.map((result) => result.ms / 1000)),
    statuses: [...new Set(exports.map((result) => result.code ?? result.status))].join(', '),
    records: exports[0]?.records,
    bodyBytes: exports[0]?.bodyBytes,
    peakRssMegabytes: median(measured.map((run) => run.peakRssMegabytes)),
    idleRssMegabytes: median(measured.map((run) => run.idleRssMegabytes)),
  };
}

function formatNumber(value, decimals = 0) {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** Milliseconds: a decimal below 10 ms, where the worker builds should land. */
const formatMs = (value) => formatNumber(value, Math.abs(value) < 10 ? 1 : 0);
const formatLatencies = (summary, keys = ['p50', 'p99', 'max']) =>
  keys.map((key) => formatMs(summary[key])).join(' / ');

function formatRatio(value, reference) {
  const ratio = value / reference;
  if (!Number.isFinite(ratio)) return '–';
  return ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2);
}

function markdownTable(header, rows) {
  const widths = header.map((title, index) =>
    Math.max(3, title.length, ...rows.map((row) => row[index].length)),
  );
  const line = (cells) =>
    `| ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join(' | ')} |`;
  const rule = `| ${widths.map((width, index) => (index === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Value columns, then a ratio column per `ratios` entry: `[title, figure, formatted value]`. */
function scenarioTable(scenario, summaries, referenceLabel) {
  const valueColumns = scenario.columns;
  const reference = summaries[referenceLabel];
  const header = [
    'build / config',
    'runs',
    ...valueColumns.map(([title]) => title),
    'failed',
    ...scenario.ratios.map(([title]) => `${title} × ${referenceLabel}`),
  ];
  const rows = Object.entries(summaries).map(([label, summary]) => [
    label,
    String(summary.runs),
    ...valueColumns.map(([, format]) => format(summary)),
    String(summary.failedRuns + summary.failedExports),
    ...scenario.ratios.map(([, figure]) => formatRatio(figure(summary), figure(reference))),
  ]);
  return markdownTable(header, rows);
}

const health = (summary) => summary.endpoints['/health'] ?? {};
const scrape = (summary) => summary.endpoints['/export/metrics'] ?? {};
const exportsColumns = [
  ['/health ms p50 / p99 / max', (summary) => formatLatencies(health(summary))],
  ['/export/metrics ms p50 / p99 / max', (summary) => formatLatencies(scrape(summary))],
  ['idle /health ms p50 / p99', (summary) => formatLatencies(summary.idleHealth, ['p50', 'p99'])],
  ['rows/s', (summary) => formatNumber(summary.rowsPerSecond)],
  ['CPU s', (summary) => formatNumber(summary.cpuSeconds, 1)],
  ['cores', (summary) => formatNumber(summary.cores, 2)],
  ['peak RSS MB', (summary) => formatNumber(summary.peakRssMegabytes)],
  ['idle RSS MB', (summary) => formatNumber(summary.idleRssMegabytes)],
];
const exportsRatios = [
  ['/health p50', (summary) => health(summary).p50],
  ['/health p99', (summary) => health(summary).p99],
  ['/export/metrics p50', (summary) => scrape(summary).p50],
  ['/export/metrics p99', (summary) => scrape(summary).p99],
  ['rows/s', (summary) => summary.rowsPerSecond],
  ['cores', (summary) => summary.cores],
  ['peak RSS', (summary) => summary.peakRssMegabytes],
];

function buildScenarios(quick) {
  const timeoutSeconds = quick ? 120 : 300;
  const pdfRows = quick ? 20_000 : 100_000;
  const csvRows = quick ? 40_000 : 200_000;
  // Just under the default EXPORT_BODY_LIMIT_MB of 64.
  const bodyBytes = quick ? 16 * mebibyte : 64 * mebibyte - 64 * 1024;
  const streamed = (name, format, rows) => ({
    name,
    title: `${name}: 5 concurrent ${formatNumber(rows)}-row ${format.toUpperCase()} exports via POST /export/stream (NDJSON upload), /health and /export/metrics sampled every 50 ms`,
    load: { kind: 'stream', format, rows, concurrency: 5 },
    warmUp: { kind: 'stream', format, rows: 2000, concurrency: 5 },
    endpoints: ['/health', '/export/metrics'],
    intervalMs: 50,
    timeoutSeconds,
    columns: exportsColumns,
    ratios: exportsRatios,
  });
  return [
    streamed('Control plane under PDF load', 'pdf', pdfRows),
    streamed('Throughput CSV', 'csv', csvRows),
    {
      name: 'Big JSON body',
      title: `Big JSON body: one ${formatNumber(bodyBytes / mebibyte, 1)} MiB {"format":"csv","data":[{"id":1,"v":"x"},…]} to POST /export/run, /health sampled every 20 ms`,
      load: { kind: 'run', bodyBytes, concurrency: 1 },
      warmUp: { kind: 'run', bodyBytes: mebibyte, concurrency: 1 },
      endpoints: ['/health'],
      intervalMs: 20,
      timeoutSeconds,
      columns: [
        ['/health ms p50 / p99 / max', (summary) => formatLatencies(health(summary))],
        ['records', (summary) => formatNumber(summary.records)],
        ['request s', (summary) => formatNumber(summary.requestSeconds, 2)],
        ['status', (summary) => summary.statuses || '–'],
        ['CPU s', (summary) => formatNumber(summary.cpuSeconds, 1)],
        ['cores', (summary) => formatNumber(summary.cores, 2)],
        ['peak RSS MB', (summary) => formatNumber(summary.peakRssMegabytes)],
      ],
      ratios: [
        ['/health p50', (summary) => health(summary).p50],
        ['/health p99', (summary) => health(summary).p99],
        ['/health max', (summary) => health(summary).max],
        ['request time', (summary) => summary.requestSeconds],
        ['peak RSS', (summary) => summary.peakRssMegabytes],
      ],
    },
  ];
}

function describeCheckout(root) {
  const git = (...args) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: 'pipe' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        baseline: { type: 'string' },
        quick: { type: 'boolean', default: false },
        json: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new Error(`${error.message}\n\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const currentRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const baselineRoot = values.baseline === undefined ? undefined : resolve(values.baseline);
  for (const [option, root] of [
    ['the current checkout', currentRoot],
    ['--baseline', baselineRoot],
  ]) {
    if (root !== undefined && !existsSync(join(root, serverEntryPath))) {
      throw new Error(
        `${option} has no built executor: ${join(root, serverEntryPath)} is missing (run pnpm turbo run build --filter=@org/executor... in ${root})`,
      );
    }
  }
  return { currentRoot, baselineRoot, quick: values.quick, jsonPath: values.json };
}

async function main() {
  const { currentRoot, baselineRoot, quick, jsonPath } = parseOptions();
  const configurations = [
    ...(baselineRoot ? [{ label: 'baseline', root: baselineRoot, env: {} }] : []),
    { label: 'EXPORT_WORKERS=1', root: currentRoot, env: { EXPORT_WORKERS: '1' } },
    { label: 'EXPORT_WORKERS unset', root: currentRoot, env: {} },
  ];
  const referenceLabel = configurations[0].label;
  const scenarios = buildScenarios(quick);
  const rounds = quick ? 1 : 3;
  const loadBefore = loadavg();
  const startedAt = new Date();
  const runs = [];
  for (const scenario of scenarios) {
    for (let round = 1; round <= rounds; round += 1) {
      // Every other round in reverse, so a drift in the machine's load does not favour one.
      const order = round % 2 === 1 ? configurations : [...configurations].reverse();
      for (const configuration of order) {
        console.error(`${scenario.name}, round ${round}/${rounds}: ${configuration.label}`);
        const run = await runScenario(scenario, configuration, round);
        if (run.error) console.error(`  failed: ${run.error.split('\n')[0]}`);
        runs.push(run);
      }
    }
  }

  const format = (average) => average.map((value) => value.toFixed(2)).join(', ');
  const lines = [
    `node ${process.version}, ${availableParallelism()} cores; load average ${format(loadBefore)} before, ${format(loadavg())} after; ${rounds} round${rounds === 1 ? '' : 's'} from ${startedAt.toISOString()}`,
    'Each run: a fresh executor (LOG_LEVEL=warn, EXPORT_MAX_CONCURRENT=5, EXPORT_MAX_ROWS=100000000), a warm-up, 2 s of idle /health, then the load from a worker thread of this process on the same machine.',
    'Latencies pooled over the rounds; rows/s, CPU, cores and RSS are medians of the rounds. rows/s: rows of the successful exports over the wall time from the first request to the last byte; cores: server CPU over that time.',
    '',
    ...configurations.map(
      (configuration) =>
        `- ${configuration.label}: ${configuration.root} (${describeCheckout(configuration.root)})`,
    ),
  ];
  const summaries = {};
  for (const scenario of scenarios) {
    summaries[scenario.name] = Object.fromEntries(
      configurations.map((configuration) => [
        configuration.label,
        summarize(
          runs.filter(
            (run) => run.scenario === scenario.name && run.configuration === configuration.label,
          ),
        ),
      ]),
    );
    lines.push('', `### ${scenario.title}`, '');
    lines.push(scenarioTable(scenario, summaries[scenario.name], referenceLabel));
    for (const [label, summary] of Object.entries(summaries[scenario.name])) {
      for (const error of summary.errors) lines.push(`- ${label} failed: ${error.split('\n')[0]}`);
      for (const [path, endpoint] of Object.entries(summary.endpoints)) {
        if (endpoint.errors > 0)
          lines.push(`- ${label}: ${endpoint.errors} ${path} samples failed`);
      }
    }
  }
  console.log(lines.join('\n'));
  if (jsonPath) {
    const settings = { quick, rounds, referenceLabel, loadBefore, loadAfter: loadavg() };
    const described = scenarios.map(({ name, title, load, endpoints, intervalMs }) => ({
      name,
      title,
      load,
      endpoints,
      intervalMs,
    }));
    writeFileSync(
      jsonPath,
      `${JSON.stringify({ settings, configurations, scenarios: described, summaries, runs }, null, 2)}\n`,
    );
  }
  const failed = Object.values(summaries).some((bySetting) =>
    Object.values(bySetting).some((summary) => summary.failedRuns + summary.failedExports > 0),
  );
  process.exitCode = failed ? 1 : 0;
}

if (isMainThread) {
  process.on('exit', () => {
    for (const child of liveExecutors) child.kill('SIGKILL');
    for (const directory of temporaryDirectories) {
      rmSync(directory, { recursive: true, force: true });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  main().catch((error) => {
    console.error(`run-service-bench: ${error.message}`);
    process.exitCode = 2;
  });
}

// `pnpm bench:cluster`: how async-job throughput scales with executor replicas. One redis-server
// on a free loopback port; for 1, 2 and 3 replicas, fresh executors sharing it and one export
// folder, the same jobs submitted evenly to every replica by seed-export (which downloads each
// file and checks its sha256 against the job's), and the replicas' CPU time from /proc; printed
// side by side as ratios to one replica. Exits 1 if any job fails or any download mismatches.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer } from '../test-redis/dist/index.js';
import { startExecutor } from './start-executor.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seedExport = join(root, 'tools/seed-export/dist/cli.js');
const json = process.argv.includes('--json');
// Other work on the machine skews every number here: printed, so a reader can tell.
const loadBefore = loadavg()[0];
const replicaCounts = [1, 2, 3];
const rounds = 2;
// Per replica 2 slots; the cluster cap (6) and queue stay out of the way of 3 replicas.
const replicaEnvironment = {
  EXPORT_MAX_CONCURRENT: '2',
  EXPORT_CLUSTER_MAX_CONCURRENT: '6',
  EXPORT_CLUSTER_MAX_QUEUE: '1000',
  // info, not warn: the listen line and "export job started on this replica" are info.
  LOG_LEVEL: 'info',
};
// `clients` requests in flight in all, split evenly over the replicas, each sending its share
// of `jobs` in turn: 12 clients keep the 2 slots of each of 3 replicas busy.
const workloads = [
  { name: 'csv', records: 20_000, jobs: 24, clients: 6 },
  { name: 'pdf', records: 5_000, jobs: 12, clients: 6 },
];
const startedLine = /"msg":"export job started on this replica"/g;
const problemLine = /^\{"level":(?:4|5|6)0,.*$/gm; // pino warn, error, fatal
// Expected here: the bench runs without tokens on loopback.
const expectedWarning = 'EXPORT_API_TOKENS is not set';
const ticksPerSecond = 100; // USER_HZ on Linux

// Whatever is running when a signal comes is killed at once: executors, seed-exports, Redis.
const cleanups = [];
const seedChildren = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of seedChildren) child.kill('SIGKILL');
    for (const cleanup of cleanups.reverse()) cleanup(true);
    console.error(`bench:cluster: ${signal}: killed the replicas, seed-export and Redis`);
    process.exit(130);
  });
}

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds the whole machine spent busy (neither idle nor waiting on I/O) since boot. */
function machineBusySeconds() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (user + nice + system + irq + softirq + steal) / ticksPerSecond;
}

/** A throwaway redis-server of this run's own (never the shared EXPORT_TEST_REDIS_URL one). */
async function startRedis() {
  const redis = await startRedisServer({ environment: { PATH: process.env.PATH } });
  const stop = () => redis.stop();
  cleanups.push(stop);
  const version = /v=([\d.]+)/.exec(
    spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout,
  )?.[1];
  return { url: redis.url, version, stop };
}

/** seed-export with `--json`: its summaries, or why it failed (its stderr ends with the errors). */
function runSeed(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [seedExport, ...args, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    seedChildren.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('close', (code) => {
      seedChildren.delete(child);
      let summaries = [];
      try {
        summaries = JSON.parse(stdout);
      } catch {}
      const problem = code === 0 ? undefined : `seed-export ${args.join(' ')} exited ${code}`;
      resolve({ summaries, problem: problem && `${problem}:\n${stderr.slice(-1500)}` });
    });
  });
}

/** The cluster's jobs created since `since` (ms), newest first, read through one replica. */
async function jobsSince(url, since) {
  const jobs = [];
  let cursor;
  for (;;) {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await fetch(`${url}/export/jobs?${query}`);
    if (!answer.ok) throw new Error(`GET /export/jobs answered ${answer.status}`);
    const page = await answer.json();
    const recent = page.jobs.filter((job) => Date.parse(job.createdAt) >= since);
    jobs.push(...recent);
    if (!page.nextCursor || recent.length < page.jobs.length) return jobs;
    cursor = page.nextCursor;
  }
}

function countMatches(text, pattern) {
  return text.match(pattern)?.length ?? 0;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One round: every workload at once, its clients split over the replicas. */
async function runRound(replicas, urls) {
  const cpuBefore = replicas.map((replica) => cpuSeconds(replica.child.pid));
  const startsBefore = replicas.map((replica) => countMatches(replica.output(), startedLine));
  const machineBefore = machineBusySeconds();
  const startedAt = Date.now();
  const seeds = await Promise.all(
    urls.flatMap((url) =>
      workloads.map((workload) => {
        const clients = workload.clients / urls.length;
        const repeat = workload.jobs / workload.clients;
        return runSeed([
          '--mode=jobs',
          `--format=${workload.name}`,
          `--records=${workload.records}`,
          `--concurrency=${clients}`,
          `--repeat=${repeat}`,
          `--url=${url}`,
        ]);
      }),
    ),
  );
  const machineSeconds = machineBusySeconds() - machineBefore;
  const clientSeconds = (Date.now() - startedAt) / 1000;
  const cpu = replicas.reduce(
    (sum, replica, index) => sum + cpuSeconds(replica.child.pid) - cpuBefore[index],
    0,
  );
  const jobs = await jobsSince(urls[0], startedAt);
  const done = jobs.filter((job) => job.status === 'done');
  const expected = workloads.reduce((sum, workload) => sum + workload.jobs, 0);
  const problems = seeds.flatMap((seed) => (seed.problem ? [seed.problem] : []));
  const refused = seeds
    .flatMap((seed) => seed.summaries)
    .reduce((sum, summary) => sum + summary.rejected, 0);
  if (refused > 0) problems.push(`${refused} submissions were refused with 429`);
  if (done.length !== expected) {
    const states = jobs.map((job) => `${job.status}${job.error ? ` ${job.error.code}` : ''}`);
    problems.push(`${done.length} of ${expected} jobs done (${states.join(', ')})`);
  }
  const lastFinished = Math.max(...done.map((job) => Date.parse(job.finishedAt)));
  return {
    jobs: done.length,
    rows: done.reduce((sum, job) => sum + job.rows, 0),
    // From the first submission to the last job done; the downloads after it are the client's.
    wallSeconds: (lastFinished - startedAt) / 1000,
    clientSeconds,
    executorCpuSeconds: Math.round(cpu * 100) / 100,
    machineCores: Math.round((machineSeconds / clientSeconds) * 100) / 100,
    jobsPerReplica: replicas.map(
      (replica, index) => countMatches(replica.output(), startedLine) - startsBefore[index],
    ),
    problems,
  };
}

async function measure(redisUrl, replicaCount) {
  const exportDirectory = mkdtempSync(join(tmpdir(), 'bench-cluster-exports-'));
  const environment = {
    ...replicaEnvironment,
    REDIS_URL: redisUrl,
    EXPORT_QUEUE_NAME: `bench-cluster-${process.pid}-${replicaCount}`,
  };
  const replicas = Array.from({ length: replicaCount }, () =>
    startExecutor(exportDirectory, environment),
  );
  const stop = async (now = false) => {
    for (const replica of replicas) replica.child.kill(now ? 'SIGKILL' : 'SIGTERM');
    if (!now) await Promise.all(replicas.map((replica) => replica.exited));
    rmSync(exportDirectory, { recursive: true, force: true });
  };
  cleanups.push(stop);
  const results = [];
  let warmUps;
  try {
    const urls = await Promise.all(replicas.map((replica) => replica.url));
    // Warm-up on every replica (streams run where they are sent), so JIT and font loading are
    // not billed to the first round.
    warmUps = await Promise.all(
      urls.flatMap((url) =>
        ['csv', 'pdf'].map((format) =>
          runSeed(['--mode=stream', `--format=${format}`, '--records=2000', `--url=${url}`]),
        ),
      ),
    );
    for (let round = 0; round < rounds; round += 1) results.push(await runRound(replicas, urls));
  } finally {
    await stop();
    cleanups.splice(cleanups.indexOf(stop), 1);
  }
  const replicaProblems = await Promise.all(
    replicas.map(async (replica, index) => {
      const lines = (replica.output().match(problemLine) ?? []).filter(
        (line) => !line.includes(expectedWarning),
      );
      const code = await replica.exited;
      if (code !== 0) lines.push(`exited with ${code} on SIGTERM`);
      return lines.map((line) => `replica ${index + 1}: ${line}`);
    }),
  );
  const problems = warmUps.flatMap((warmUp) => (warmUp.problem ? [warmUp.problem] : []));
  return { replicas: replicaCount, rounds: results, logProblems: replicaProblems.flat(), problems };
}

let redis;
let failure;
const measurements = [];
try {
  redis = await startRedis();
  for (const replicaCount of replicaCounts)
    measurements.push(await measure(redis.url, replicaCount));
} catch (error) {
  failure = error;
} finally {
  await redis?.stop();
}
if (failure) {
  console.error(`bench:cluster: ${failure.message}`);
  process.exit(1);
}

const results = measurements.map(({ replicas, rounds: measured, logProblems, problems }) => {
  const wallSeconds = median(measured.map((round) => round.wallSeconds));
  const { jobs, rows } = measured[0];
  return {
    replicas,
    jobs,
    rows,
    wallSeconds,
    jobsPerSecond: jobs / wallSeconds,
    rowsPerSecond: rows / wallSeconds,
    executorCpuSeconds: median(measured.map((round) => round.executorCpuSeconds)),
    machineCores: median(measured.map((round) => round.machineCores)),
    jobsPerReplica: measured.map((round) => round.jobsPerReplica),
    rounds: measured,
    logProblems,
    problems: [...problems, ...measured.flatMap((round) => round.problems)],
  };
});
const base = results[0];
for (const result of results) result.speedUp = result.rowsPerSecond / base.rowsPerSecond;
const problems = results.flatMap((result) =>
  result.problems.map((line) => `${result.replicas} replicas: ${line}`),
);
const machine = [
  `node ${process.version}`,
  `redis ${redis.version ?? '?'}`,
  `${availableParallelism()} cores`,
  `load average ${loadBefore.toFixed(2)} before the run`,
].join(', ');
const note = `measured on one machine (${machine}): the replicas, Redis and seed-export share its cores`;

if (json) {
  console.log(JSON.stringify({ machine: note, workloads, results, problems }, null, 2));
} else {
  const header = [
    'replicas',
    'jobs',
    'rows',
    'wall s',
    'jobs/s',
    'rows/s',
    'x 1 replica',
    'executor CPU s',
    'cores busy',
    'jobs per replica',
  ];
  const rows = results.map((result) => [
    String(result.replicas),
    String(result.jobs),
    result.rows.toLocaleString('en-US'),
    result.wallSeconds.toFixed(2),
    result.jobsPerSecond.toFixed(2),
    Math.round(result.rowsPerSecond).toLocaleString('en-US'),
    result.speedUp.toFixed(2),
    result.executorCpuSeconds.toFixed(1),
    result.machineCores.toFixed(2),
    result.jobsPerReplica.map((counts) => counts.join('/')).join(', '),
  ]);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index].length)),
  );
  const line = (cells) =>
    cells
      .map((cell, index) => (index === header.length - 1 ? cell : cell.padStart(widths[index])))
      .join('  ');
  const workloadText = workloads
    .map((workload) => `${workload.jobs} ${workload.name} jobs of ${workload.records} rows`)
    .join(' + ');
  console.log(note);
  const clients = workloads.reduce((sum, workload) => sum + workload.clients, 0);
  console.log(
    `${workloadText}, ${clients} clients split over the replicas; each replica EXPORT_MAX_CONCURRENT=2; median of ${rounds} rounds (jobs per replica: each round)`,
  );
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  for (const result of results) {
    for (const problem of result.logProblems.slice(0, 5)) console.log(`log: ${problem}`);
  }
}
if (problems.length > 0) {
  console.error(`\nbench:cluster: FAILED\n${problems.join('\n')}`);
  process.exitCode = 1;
}

import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobStatus } from '../../src/jobs/job-record.js';
import { type HttpAnswer, httpJson } from '../real-server/http-json.js';
import type { JobView } from '../real-server/job-client.js';
import { startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { ndjsonChunks } from '../real-server/sample-records.js';
import { type ExecutorProcess, startExecutor } from '../real-server/spawn-executor.js';

const jobStartedMessage = 'export job started on this replica';

/**
 * Starts `count` executors that form one cluster: the same Redis, a queue name of their own (so
 * tests sharing a Redis never meet) and one EXPORT_DIR, the first one's, unless `sharedFolder`
 * is false (a bucket keeps the jobs' files): then each has its own. Killed after each test.
 */
export async function startReplicas(
  redisUrl: string,
  environment: NodeJS.ProcessEnv,
  count = 3,
  { sharedFolder = true }: { sharedFolder?: boolean } = {},
): Promise<ExecutorProcess[]> {
  const clusterEnvironment = {
    REDIS_URL: redisUrl,
    EXPORT_QUEUE_NAME: `test-${randomUUID()}`,
    LOG_LEVEL: 'info',
    ...environment,
  };
  const first = await startExecutor(clusterEnvironment);
  const others = await Promise.all(
    Array.from({ length: count - 1 }, () =>
      startExecutor(
        clusterEnvironment,
        sharedFolder ? { exportDirectory: first.exportDirectory } : {},
      ),
    ),
  );
  return [first, ...others];
}

export interface ClusterGauges {
  /** `export_cluster_running`. */
  running: number;
  /** `export_cluster_queue_depth`. */
  queueDepth: number;
}

/** The cluster's gauges from one scrape of a replica's `/export/metrics`. */
export async function scrapeClusterGauges(url: string): Promise<ClusterGauges> {
  const answer = await httpJson(url, '/export/metrics');
  if (answer.status !== 200) throw new Error(`/export/metrics answered ${answer.status}`);
  const lines = answer.text.split('\n');
  const gauge = (name: string) => {
    const line = lines.find((text) => text.startsWith(`${name} `));
    if (line === undefined) throw new Error(`no ${name} in /export/metrics:\n${answer.text}`);
    return Number(line.slice(name.length + 1));
  };
  return {
    running: gauge('export_cluster_running'),
    queueDepth: gauge('export_cluster_queue_depth'),
  };
}

/** How many jobs of the whole cluster have `status`, as one replica's list shows them. */
export async function countJobs(url: string, status: JobStatus): Promise<number> {
  const answer = await httpJson(url, `/export/jobs?status=${status}&limit=100`);
  if (answer.status !== 200) throw new Error(`GET /export/jobs answered ${answer.status}`);
  return (answer.json as { jobs: JobView[] }).jobs.length;
}

export interface JobStart {
  jobId: string;
  attempt: number;
  /** pino's `time`: when the replica logged it (ms). */
  time: number;
}

/** Every "export job started on this replica" line the replica has logged so far. */
export function jobStarts(executor: ExecutorProcess): JobStart[] {
  return executor
    .logs()
    .split('\n')
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line) as Partial<JobStart> & { msg?: unknown };
        if (entry.msg !== jobStartedMessage || typeof entry.jobId !== 'string') return [];
        return [{ jobId: entry.jobId, attempt: Number(entry.attempt), time: Number(entry.time) }];
      } catch {
        return [];
      }
    });
}

/**
 * POSTs the sample records 1 to `rows` as an NDJSON job and resolves with whatever the answer
 * is (a 202, a 429, …), read to its end.
 */
export async function postNdjsonJob(url: string, query: string, rows: number): Promise<HttpAnswer> {
  const upload = startNdjsonUpload(url, `/export/jobs?${query}`);
  const sent = pipeline(Readable.from(ndjsonChunks(rows)), upload.request);
  const [response] = await Promise.all([upload.response, sent]);
  let text = '';
  for await (const chunk of response.setEncoding('utf8') as AsyncIterable<string>) text += chunk;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode ?? 0, headers: response.headers, text, json };
}

/** The export files (`export.csv`, `export.pdf`) and temp files left in a job's folder. */
export function exportLeftovers(exportDirectory: string, id: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(exportDirectory, 'jobs', id));
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith('export.') || name.endsWith('.partial')).sort();
}

export interface Sampler<Sample> {
  /** Stops sampling after the sample in progress and resolves with every sample taken. */
  stop(): Promise<Sample[]>;
}

/**
 * Calls `sample` again and again, `intervalMs` apart, until stopped. A sample that throws is
 * rethrown by `stop`: a replica that stops answering fails the test.
 */
export function sampleUntilStopped<Sample>(
  sample: (round: number) => Promise<Sample>,
  intervalMs: number,
): Sampler<Sample> {
  const samples: Sample[] = [];
  let stopped = false;
  const running = (async () => {
    for (let round = 0; !stopped; round += 1) {
      samples.push(await sample(round));
      await sleep(intervalMs);
    }
  })();
  // Rethrown by stop(); until then, not an unhandled rejection.
  running.catch(() => {});
  return {
    async stop() {
      stopped = true;
      await running;
      return samples;
    },
  };
}

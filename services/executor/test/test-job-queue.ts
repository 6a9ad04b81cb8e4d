import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExportPool, type ExportPool } from '@org/export-core';
import { createLimiter, type Limiter, type LimiterOptions } from '@org/export-limiter';
import { createExportMetrics } from '@org/export-metrics';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, afterEach } from 'vitest';
import {
  createEmbeddedJobQueue,
  type EmbeddedJobQueue,
} from '../src/embedded/create-embedded-job-queue.js';
import { createFileJobStore, type FileJobStore } from '../src/embedded/file-job-store.js';
import { jobFilesUnder } from '../src/jobs/job-files.js';
import { queuedJobRecord } from '../src/jobs/job-record.js';
import { ndjsonOf, trades } from './job-helpers.js';

const opened: Array<{ queue: EmbeddedJobQueue; limiter: Limiter }> = [];
const folders: string[] = [];
let sharedPool: ExportPool | undefined;

/** One pool for every queue of a test file, as a process has one. */
function testPool(): ExportPool {
  sharedPool ??= createExportPool({ size: 2 });
  return sharedPool;
}

afterAll(async () => {
  await sharedPool?.close();
  sharedPool = undefined;
});

afterEach(async () => {
  for (const { queue, limiter } of opened.splice(0)) {
    await limiter.close({ timeoutMs: 0 });
    await queue.close();
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

export interface TestJobQueueOptions {
  limiter?: LimiterOptions;
  /** Wraps the file store on the folder (a slow or full disk, say). */
  store?: (fileStore: FileJobStore) => FileJobStore;
  retentionMs?: number;
  maxJobsPerUser?: number;
  now?: () => number;
}

export interface TestJobQueue {
  queue: EmbeddedJobQueue;
  limiter: Limiter;
  store: FileJobStore;
}

/** An export folder removed after the test. */
export function tempExportFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'job-queue-'));
  folders.push(folder);
  return folder;
}

/**
 * The embedded queue on `folder` with its own limiter, not started yet (so a test can write
 * records for it to recover first); closed after the test.
 */
export function createTestJobQueue(
  folder: string,
  {
    limiter: limiterOptions = {},
    store: wrapStore,
    retentionMs = 60_000,
    maxJobsPerUser = 1_000,
    now,
  }: TestJobQueueOptions = {},
): TestJobQueue {
  const limiter = createLimiter(limiterOptions);
  const fileStore = createFileJobStore(jobFilesUnder(folder));
  const store = wrapStore ? wrapStore(fileStore) : fileStore;
  const queue = createEmbeddedJobQueue({
    store,
    context: {
      limiter,
      pool: testPool(),
      maxRows: 1_000,
      metrics: createExportMetrics({ registry: new Registry() }),
      timeoutSeconds: 60,
    },
    log: Fastify({ logger: false }).log,
    maxRows: 1_000,
    maxLineBytes: 1024 * 1024,
    retentionMs,
    maxJobsPerUser,
    ...(now ? { now } : {}),
  });
  opened.push({ queue, limiter });
  return { queue, limiter, store };
}

/** A job a stopped process left queued: its record and its spooled input of `trades`. */
export async function writeQueuedJob(store: FileJobStore, id: string, createdAt: string) {
  const record = queuedJobRecord({
    id,
    owner: null,
    format: 'csv',
    options: { csvProfile: 'rfc4180' },
    columns: ['id', 'symbol', 'qty', 'price'],
    totalRows: trades.length,
    createdAt,
  });
  await mkdir(store.files.folder(id), { recursive: true });
  await writeFile(store.files.input(id), ndjsonOf(trades));
  await store.save(record);
}

/** Takes one of the limiter's slots until `release` is called. */
export function holdALimiterSlot(limiter: Limiter) {
  let release = () => {};
  const held = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
  return {
    release: async () => {
      release();
      await held;
    },
  };
}

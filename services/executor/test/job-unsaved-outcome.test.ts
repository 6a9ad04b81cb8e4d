import { readdir } from 'node:fs/promises';
import { createLimiter } from '@org/export-limiter';
import { createExportMetrics } from '@org/export-metrics';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEmbeddedJobQueue } from '../src/jobs/create-embedded-job-queue.js';
import { jobFilesUnder } from '../src/jobs/job-files.js';
import { finishedJobStatuses } from '../src/jobs/job-record.js';
import { createFileJobStore, type JobStore } from '../src/jobs/job-store.js';
import { trades, waitUntil } from './job-helpers.js';
import { tempExportFolder } from './test-job-queue.js';

/** A store on `folder` whose disk fills up once a job is over: its last record cannot be saved. */
function storeFullAtTheEnd(folder: string): JobStore {
  const store = createFileJobStore(jobFilesUnder(folder));
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
  });
  return {
    ...store,
    save: (record) =>
      finishedJobStatuses.has(record.status) ? Promise.reject(full) : store.save(record),
    writeManifest: () => Promise.reject(full),
  };
}

describe('a job whose outcome cannot be saved', () => {
  it('is shown failed with EXPORT_WRITE_FAILED, never left running, and its file is removed', async () => {
    const folder = tempExportFolder();
    const store = storeFullAtTheEnd(folder);
    const limiter = createLimiter({ maxConcurrent: 1 });
    const queue = createEmbeddedJobQueue({
      store,
      context: {
        limiter,
        metrics: createExportMetrics({ registry: new Registry() }),
        timeoutSeconds: 60,
      },
      log: Fastify({ logger: false }).log,
      maxRows: 1_000,
      maxLineBytes: 1024 * 1024,
      retentionMs: 60_000,
    });
    await queue.start();
    try {
      const accepted = await queue.enqueue({
        format: 'csv',
        options: {},
        owner: null,
        records: trades,
      });

      await waitUntil('the job is over', async () =>
        finishedJobStatuses.has(queue.get(accepted.id, undefined)?.status ?? 'running'),
      );

      expect(queue.get(accepted.id, undefined)).toMatchObject({
        status: 'failed',
        rows: null,
        sha256: null,
        error: { code: 'EXPORT_WRITE_FAILED' },
      });
      expect(await readdir(store.files.folder(accepted.id))).not.toContain('export.csv');
      expect(queue.counts(undefined)).toMatchObject({ running: 0, failed: 1 });
    } finally {
      await limiter.close({ timeoutMs: 0 });
      await queue.close();
    }
  });
});

import { createLimiter } from '@org/export-limiter';
import { createExportMetrics } from '@org/export-metrics';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEmbeddedJobQueue } from '../src/jobs/create-embedded-job-queue.js';
import { jobFilesUnder } from '../src/jobs/job-files.js';
import { createFileJobStore, type JobStore } from '../src/jobs/job-store.js';
import { trades, waitUntil } from './job-helpers.js';
import { tempExportFolder } from './test-job-queue.js';

describe('a job saving its end', () => {
  it('keeps its export slot until its end is saved, so no more jobs show running than there are slots', async () => {
    const store = createFileJobStore(jobFilesUnder(tempExportFolder()));
    let saveTheEnd = () => {};
    const endMaySave = new Promise<void>((resolve) => {
      saveTheEnd = resolve;
    });
    let savingTheEnd = false;
    // A slow disk: the manifest of the finished file lands only when the test says so.
    const slowStore: JobStore = {
      ...store,
      writeManifest: async (manifest) => {
        savingTheEnd = true;
        await endMaySave;
        await store.writeManifest(manifest);
      },
    };
    const limiter = createLimiter({ maxConcurrent: 1 });
    const queue = createEmbeddedJobQueue({
      store: slowStore,
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
      await waitUntil('the job saves its end', async () => savingTheEnd);

      expect(queue.get(accepted.id, undefined)?.status).toBe('running');
      expect(limiter.stats()).toMatchObject({ running: 1 });

      saveTheEnd();
      await waitUntil('the slot is free', async () => limiter.stats().running === 0);
      expect(queue.get(accepted.id, undefined)).toMatchObject({ status: 'done', rows: 2 });
    } finally {
      saveTheEnd();
      await limiter.close({ timeoutMs: 0 });
      await queue.close();
    }
  });
});

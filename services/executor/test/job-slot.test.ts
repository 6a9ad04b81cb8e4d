import { describe, expect, it } from 'vitest';
import type { FileJobStore } from '../src/embedded/file-job-store.js';
import { trades, waitUntil } from './job-helpers.js';
import { createTestJobQueue, tempExportFolder } from './test-job-queue.js';

describe('a job saving its end', () => {
  it('keeps its export slot until its end is saved, so no more jobs show running than there are slots', async () => {
    let saveTheEnd = () => {};
    const endMaySave = new Promise<void>((resolve) => {
      saveTheEnd = resolve;
    });
    let savingTheEnd = false;
    // A slow disk: the manifest of the finished file lands only when the test says so.
    const slowStore = (store: FileJobStore): FileJobStore => ({
      ...store,
      writeManifest: async (manifest) => {
        savingTheEnd = true;
        await endMaySave;
        await store.writeManifest(manifest);
      },
    });
    const { queue, limiter } = createTestJobQueue(tempExportFolder(), {
      limiter: { maxConcurrent: 1 },
      store: slowStore,
    });
    await queue.start();
    await queue.recovered();
    try {
      const accepted = await queue.enqueue({
        format: 'csv',
        options: {},
        owner: null,
        input: { records: trades },
      });
      await waitUntil('the job saves its end', async () => savingTheEnd);

      expect((await queue.get(accepted.id, undefined))?.status).toBe('running');
      expect(limiter.stats()).toMatchObject({ running: 1 });

      saveTheEnd();
      await waitUntil('the slot is free', async () => limiter.stats().running === 0);
      expect(await queue.get(accepted.id, undefined)).toMatchObject({ status: 'done', rows: 2 });
    } finally {
      saveTheEnd();
    }
  });
});

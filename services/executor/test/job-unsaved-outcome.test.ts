import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FileJobStore } from '../src/embedded/file-job-store.js';
import { finishedJobStatuses } from '../src/jobs/job-record.js';
import { trades, waitUntil } from './job-helpers.js';
import { createTestJobQueue, tempExportFolder } from './test-job-queue.js';

/** A store whose disk fills up once a job is over: its last record cannot be saved. */
function storeFullAtTheEnd(store: FileJobStore): FileJobStore {
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
    const { queue, store } = createTestJobQueue(tempExportFolder(), {
      limiter: { maxConcurrent: 1 },
      store: storeFullAtTheEnd,
    });
    await queue.start();
    await queue.recovered();
    const accepted = await queue.enqueue({
      format: 'csv',
      options: {},
      owner: null,
      input: { records: trades },
    });

    await waitUntil('the job is over', async () =>
      finishedJobStatuses.has((await queue.get(accepted.id, undefined))?.status ?? 'running'),
    );

    expect(await queue.get(accepted.id, undefined)).toMatchObject({
      status: 'failed',
      rows: null,
      sha256: null,
      error: { code: 'EXPORT_WRITE_FAILED' },
    });
    expect(await readdir(store.files.folder(accepted.id))).toEqual(['job.json']);
    expect(await queue.counts(undefined)).toMatchObject({ running: 0, failed: 1 });
  });

  it('never runs again after a restart, though the record on disk was never told', async () => {
    const folder = tempExportFolder();
    const first = createTestJobQueue(folder, { store: storeFullAtTheEnd });
    await first.queue.start();
    await first.queue.recovered();
    const accepted = await first.queue.enqueue({
      format: 'csv',
      options: {},
      owner: null,
      input: { records: trades },
    });
    await waitUntil('the job is over', async () =>
      finishedJobStatuses.has((await first.queue.get(accepted.id, undefined))?.status ?? 'running'),
    );
    await first.queue.close();

    const restarted = createTestJobQueue(folder);
    await restarted.queue.start();
    await restarted.queue.recovered();

    expect(await restarted.queue.get(accepted.id, undefined)).toMatchObject({
      status: 'failed',
      error: { code: 'EXECUTOR_INTERRUPTED' },
    });
  });
});

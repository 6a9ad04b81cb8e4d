import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FileJobStore } from '../src/embedded/file-job-store.js';
import { waitUntil } from './job-helpers.js';
import { createTestJobQueue, tempExportFolder, writeQueuedJob } from './test-job-queue.js';

/** The file store with its record reads held until `release` is called. */
function heldReads() {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const wrap = (store: FileJobStore): FileJobStore => ({
    ...store,
    read: async (id) => {
      await released;
      return store.read(id);
    },
  });
  return { wrap, release };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('the recovery of stored jobs', () => {
  it('runs after start returns: lookups answer 503 EXECUTOR_RECOVERING until it is done', async () => {
    const reads = heldReads();
    const { queue, store } = createTestJobQueue(tempExportFolder(), { store: reads.wrap });
    await writeQueuedJob(store, 'job-a', '2030-01-01T00:00:00.000Z');
    await writeQueuedJob(store, 'job-b', '2030-01-01T00:00:01.000Z');

    await queue.start();

    await waitUntil('the folders are counted', async () =>
      /of 2 checked/.test(queue.unavailability()?.message ?? ''),
    );
    expect(queue.unavailability()).toMatchObject({
      code: 'EXECUTOR_RECOVERING',
      statusCode: 503,
      message:
        'the executor is still recovering its stored export jobs (0 of 2 checked); retry shortly',
    });
    await expect(queue.get('job-a', undefined)).rejects.toMatchObject({
      code: 'EXECUTOR_RECOVERING',
    });
    await expect(queue.list({ viewer: undefined, limit: 10 })).rejects.toMatchObject({
      code: 'EXECUTOR_RECOVERING',
    });

    reads.release();
    await queue.recovered();
    expect(queue.unavailability()).toBeUndefined();
    await waitUntil('both recovered jobs ran', async () => {
      const jobs = await Promise.all(['job-a', 'job-b'].map((id) => queue.get(id, undefined)));
      return jobs.every((job) => job?.status === 'done');
    });
  });

  it('stops when the queue closes, leaving the jobs it did not reach as they are on disk', async () => {
    const reads = heldReads();
    const { queue, store } = createTestJobQueue(tempExportFolder(), { store: reads.wrap });
    await writeQueuedJob(store, 'job-a', '2030-01-01T00:00:00.000Z');
    await queue.start();

    const closed = queue.close();
    reads.release();
    await closed;

    expect((await store.read('job-a'))?.status).toBe('queued');
    expect(await exists(store.files.input('job-a'))).toBe(true);
  });

  it('deletes a finished job past retention without checking its file', async () => {
    const { queue, store } = createTestJobQueue(tempExportFolder(), {
      retentionMs: 60_000,
      now: () => Date.parse('2030-01-02T00:00:00.000Z'),
    });
    await writeQueuedJob(store, 'expired', '2030-01-01T00:00:00.000Z');
    await writeQueuedJob(store, 'recent', '2030-01-01T23:59:30.000Z');
    for (const [id, finishedAt] of [
      ['expired', '2030-01-01T00:00:10.000Z'],
      ['recent', '2030-01-01T23:59:40.000Z'],
    ] as const) {
      const record = await store.read(id);
      await store.save({ ...(record as NonNullable<typeof record>), status: 'failed', finishedAt });
    }

    await queue.start();
    await queue.recovered();

    expect(await exists(store.files.folder('expired'))).toBe(false);
    expect(await queue.get('expired', undefined)).toBeUndefined();
    expect(await queue.get('recent', undefined)).toMatchObject({ status: 'failed' });
  });

  it('goes on past a job it cannot read, which stays on disk for the next boot', async () => {
    const { queue, store } = createTestJobQueue(tempExportFolder(), {
      store: (fileStore) => ({
        ...fileStore,
        read: (id) =>
          id === 'unreadable'
            ? Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }))
            : fileStore.read(id),
      }),
    });
    await writeQueuedJob(store, 'unreadable', '2030-01-01T00:00:00.000Z');
    await writeQueuedJob(store, 'fine', '2030-01-01T00:00:01.000Z');

    await queue.start();
    await queue.recovered();

    expect(await queue.get('unreadable', undefined)).toBeUndefined();
    expect(await exists(store.files.input('unreadable'))).toBe(true);
    await waitUntil(
      'the readable job ran',
      async () => (await queue.get('fine', undefined))?.status === 'done',
    );
  });
});

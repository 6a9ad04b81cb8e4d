import { describe, expect, it } from 'vitest';
import { waitUntil } from './job-helpers.js';
import {
  createTestJobQueue,
  holdALimiterSlot,
  tempExportFolder,
  writeQueuedJob,
} from './test-job-queue.js';

/** A clock that moves one millisecond each time it is read, so every timestamp differs. */
function tickingClock() {
  let time = Date.parse('2030-06-01T00:00:00.000Z');
  return () => time++;
}

describe('recovered queued jobs, accepted before the restart', () => {
  it('start oldest first, none jumping ahead of one already in the limiter queue', async () => {
    const folder = tempExportFolder();
    const { queue, limiter, store } = createTestJobQueue(folder, {
      limiter: { maxConcurrent: 1, maxQueue: 1 },
      now: tickingClock(),
    });
    const ids = ['job-a', 'job-b', 'job-c'];
    for (const [index, id] of ids.entries()) {
      await writeQueuedJob(store, id, `2030-01-01T00:00:0${index}.000Z`);
    }
    const slot = holdALimiterSlot(limiter);
    // job-a waits in the limiter queue; job-b and job-c wait for room.
    await queue.start();
    await queue.recovered();
    await slot.release();
    const snapshots = () => Promise.all(ids.map((id) => queue.get(id, undefined)));
    await waitUntil('every job is done', async () =>
      (await snapshots()).every((job) => job?.status === 'done'),
    );
    const started = (await snapshots())
      .map((job) => ({ id: job?.id ?? '', startedAt: job?.startedAt ?? '' }))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      .map(({ id }) => id);
    expect(started).toEqual(ids);
  });

  it('wait in the limiter queue however full it is, while new submissions are refused', async () => {
    const folder = tempExportFolder();
    const { queue, limiter, store } = createTestJobQueue(folder, {
      limiter: { maxConcurrent: 1, maxQueue: 1 },
    });
    await writeQueuedJob(store, 'job-a', '2030-01-01T00:00:00.000Z');
    const slot = holdALimiterSlot(limiter);
    const waiting = limiter.run(async () => {});
    // The queue's one place is taken: job-a, accepted before the restart, queues all the same.
    await queue.start();
    await queue.recovered();
    expect(limiter.stats().queued).toBe(2);
    await expect(
      queue.enqueue({ format: 'csv', options: {}, owner: null, input: { records: [{ a: 1 }] } }),
    ).rejects.toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
    await slot.release();
    await waiting;
    await waitUntil(
      'job-a is done',
      async () => (await queue.get('job-a', undefined))?.status === 'done',
    );
  });
});

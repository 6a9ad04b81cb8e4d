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

describe('recovered queued jobs that wait for room in the limiter', () => {
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

  it('enter the limiter queue as soon as a task waiting there leaves it', async () => {
    const folder = tempExportFolder();
    const { queue, limiter, store } = createTestJobQueue(folder, {
      limiter: { maxConcurrent: 1, maxQueue: 1 },
    });
    await writeQueuedJob(store, 'job-a', '2030-01-01T00:00:00.000Z');
    const slot = holdALimiterSlot(limiter);
    const leaving = new AbortController();
    const waiting = limiter.run(async () => {}, { signal: leaving.signal }).catch(() => {});
    // The queue's one place is taken: job-a waits for room.
    await queue.start();
    await queue.recovered();
    expect(limiter.stats().queued).toBe(1);
    leaving.abort();
    await waiting;
    // job-a took the place the aborted task left, before any slot freed.
    expect(limiter.stats().queued).toBe(1);
    await slot.release();
    await waitUntil(
      'job-a is done',
      async () => (await queue.get('job-a', undefined))?.status === 'done',
    );
  });
});

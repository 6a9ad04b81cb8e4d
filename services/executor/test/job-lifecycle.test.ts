import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import type { ExportResult } from '@org/export-core';
import { describe, expect, it } from 'vitest';
import { ExportTimeoutError, InterruptedError } from '../src/errors.js';
import { jobEndOf } from '../src/jobs/job-end.js';
import { verdictOf } from '../src/jobs/job-error.js';
import { jobFilesUnder } from '../src/jobs/job-files.js';
import { createJobLifecycle } from '../src/jobs/job-lifecycle.js';
import { type JobManifest, type JobRecord, queuedJobRecord } from '../src/jobs/job-record.js';
import { writeJsonFile } from '../src/jobs/write-json-file.js';
import { tempExportFolder } from './test-job-queue.js';

const finishedAt = '2030-06-01T00:00:00.000Z';

/** A lifecycle over a record writer that logs what it is asked, in order. */
async function lifecycleWithJob() {
  const files = jobFilesUnder(tempExportFolder());
  const record = queuedJobRecord({
    id: 'job-1',
    owner: 'alice',
    format: 'csv',
    options: {},
    columns: ['id'],
    totalRows: 2,
    createdAt: '2030-01-01T00:00:00.000Z',
  });
  await mkdir(files.folder(record.id), { recursive: true });
  await writeFile(files.input(record.id), '{"id":1}\n{"id":2}\n');
  await writeFile(files.local.pathOf(files.keys.artifact(record.id, 'csv')), 'id\r\n1\r\n');
  const steps: string[] = [];
  const saved: JobRecord[] = [];
  const lifecycle = createJobLifecycle({
    records: {
      async save(next) {
        steps.push(
          `save ${next.status} (input ${existsSync(files.input(next.id)) ? 'kept' : 'gone'})`,
        );
        saved.push(next);
      },
      async writeManifest(manifest: JobManifest) {
        steps.push('manifest');
        await writeJsonFile(files.manifest(manifest.id), manifest);
      },
    },
    files,
    isoNow: () => finishedAt,
  });
  return { files, record, lifecycle, steps, saved };
}

const result: ExportResult = {
  rows: 2,
  bytes: 7,
  sha256: 'ab'.repeat(32),
  durationMs: 5,
  droppedFields: { count: 0, fields: [] },
  truncatedCells: { count: 0, columns: [] },
} as unknown as ExportResult;

describe('the job lifecycle every backend shares', () => {
  it('writes the manifest, then removes the input, then saves done: a done job always has a file', async () => {
    const { record, lifecycle, steps, files } = await lifecycleWithJob();
    const done = await lifecycle.ended(record, 'done', { result });
    expect(steps).toEqual(['manifest', 'save done (input gone)']);
    expect(done).toMatchObject({ status: 'done', rows: 2, bytes: 7, finishedAt, error: null });
    expect(await readdir(files.folder(record.id))).toEqual(['export.csv', 'manifest.json']);
    // Nothing is changed in place: the caller's record is as it was.
    expect(record.status).toBe('queued');
  });

  it('removes the input and the file of a failed run, and stores the error as a client sees it', async () => {
    const { record, lifecycle, steps, files } = await lifecycleWithJob();
    const timedOut = await lifecycle.ended(record, 'failed', {
      error: new ExportTimeoutError(600),
    });
    expect(timedOut.error).toEqual({
      code: 'EXECUTOR_EXPORT_TIMEOUT',
      message: 'the export took longer than 600 seconds (EXPORT_JOB_TIMEOUT_S) and was stopped',
    });
    expect(steps).toEqual(['save failed (input gone)']);
    expect(await readdir(files.folder(record.id))).toEqual([]);

    // A server fault keeps its message (a path, say) in the log, never in the record.
    const { record: other, lifecycle: second } = await lifecycleWithJob();
    const disk = Object.assign(new Error('ENOSPC: no space left on device, write /data/x'), {
      code: 'ENOSPC',
    });
    expect((await second.ended(other, 'failed', { error: disk })).error).toEqual({
      code: 'EXECUTOR_INTERNAL',
      message: 'the executor failed to complete the request; the error is logged',
    });
  });

  it('records a cancel without an error, and a shutdown as queued again from the start', async () => {
    const { record, lifecycle } = await lifecycleWithJob();
    const running = await lifecycle.started(record);
    expect(running).toMatchObject({ status: 'running', startedAt: finishedAt });
    expect(
      await lifecycle.ended(running, 'cancelled', { error: new Error('aborted') }),
    ).toMatchObject({
      status: 'cancelled',
      error: null,
      rows: null,
      finishedAt,
    });
    const { record: other, lifecycle: second, files } = await lifecycleWithJob();
    const requeued = await second.ended(await second.started(other), 'requeued', {
      error: Object.assign(new Error('closed'), { code: 'LIMITER_CLOSED' }),
    });
    expect(requeued).toMatchObject({ status: 'queued', startedAt: null, finishedAt: null });
    expect(existsSync(files.input(other.id))).toBe(true);
  });

  it("fails a job with the executor's own verdict, worded for its owner, and removes its manifest", async () => {
    const { record, lifecycle, files } = await lifecycleWithJob();
    await lifecycle.ended(record, 'done', { result });
    const failed = await lifecycle.failed(record, verdictOf(new InterruptedError()));
    expect(failed.error).toEqual({
      code: 'EXECUTOR_INTERRUPTED',
      message: 'the executor stopped while this job ran; submit it again',
    });
    expect(await readdir(files.folder(record.id))).toEqual([]);
  });
});

describe('jobEndOf', () => {
  const shutdown = (code: string) => ({ error: Object.assign(new Error(code), { code }) });

  it.each([
    ['a result', 'done', { outcome: { result }, cancelRequested: false }],
    ['a result after a DELETE', 'cancelled', { outcome: { result }, cancelRequested: true }],
    [
      'a failure after a DELETE',
      'cancelled',
      { outcome: shutdown('EXPORT_ABORTED'), cancelRequested: true },
    ],
    [
      'a closing limiter',
      'requeued',
      { outcome: shutdown('LIMITER_CLOSED'), cancelRequested: false },
    ],
    [
      'an abort without a DELETE',
      'requeued',
      { outcome: shutdown('EXPORT_ABORTED'), cancelRequested: false },
    ],
    [
      'a signal the process aborted',
      'requeued',
      { outcome: { error: new Error('x') }, cancelRequested: false, stopped: true },
    ],
    [
      'any other error',
      'failed',
      { outcome: shutdown('EXPORT_INVALID_RECORD'), cancelRequested: false },
    ],
  ] as const)('ends a run with %s as %s', (_name, end, facts) => {
    expect(jobEndOf(facts)).toBe(end);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../src/app.js';
import { buildTestApp } from './build-test-app.js';
import {
  finishedJob,
  holdAnExportSlot,
  type JobView,
  submitJob,
  trades,
  waitForJobStatus,
} from './job-helpers.js';

interface ListAnswer {
  jobs: JobView[];
  nextCursor: string | null;
}

async function list(app: ExecutorApp, query = ''): Promise<ListAnswer> {
  const response = await app.inject({ method: 'GET', url: `/export/jobs${query}` });
  expect(response.statusCode).toBe(200);
  return response.json<ListAnswer>();
}

/** Jobs created in distinct milliseconds, so "newest first" is the reverse of this order. */
async function submitInTurn(app: ExecutorApp, formats: ReadonlyArray<'csv' | 'pdf'>) {
  const jobs: JobView[] = [];
  for (const format of formats) {
    jobs.push(await submitJob(app, { format, data: trades }));
    await sleep(2);
  }
  return jobs;
}

const idsOf = (jobs: readonly JobView[]) => jobs.map((job) => job.id);

describe('GET /export/jobs', () => {
  it('answers an empty page when there are no jobs', async () => {
    const app = await buildTestApp();
    expect(await list(app)).toEqual({ jobs: [], nextCursor: null });
  });

  it('lists the jobs newest first, each as GET /export/jobs/:id shows it', async () => {
    const app = await buildTestApp();
    const submitted = await submitInTurn(app, ['csv', 'csv', 'csv']);
    for (const job of submitted) await waitForJobStatus(app, job.id, ['done']);
    const page = await list(app);
    expect(idsOf(page.jobs)).toEqual(idsOf(submitted).reverse());
    expect(page.nextCursor).toBeNull();
    const [newest] = page.jobs;
    const one = await app.inject({ method: 'GET', url: `/export/jobs/${newest?.id}` });
    expect(newest).toEqual(one.json());
  });

  it('lists only the jobs of the status asked for', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '1' });
    const done = await finishedJob(app);
    const slot = await holdAnExportSlot(app);
    const queued = await submitJob(app, { format: 'csv', data: trades });
    const cancelled = await submitJob(app, { format: 'csv', data: trades });
    await app.inject({ method: 'DELETE', url: `/export/jobs/${cancelled.id}` });
    expect(idsOf((await list(app, '?status=done')).jobs)).toEqual([done.id]);
    expect(idsOf((await list(app, '?status=queued')).jobs)).toEqual([queued.id]);
    expect(idsOf((await list(app, '?status=cancelled')).jobs)).toEqual([cancelled.id]);
    expect((await list(app, '?status=failed')).jobs).toEqual([]);
    await slot.release();
  });

  it('lists only the jobs of the format asked for', async () => {
    const app = await buildTestApp();
    const [csv, pdf] = await submitInTurn(app, ['csv', 'pdf']);
    expect(idsOf((await list(app, '?format=pdf')).jobs)).toEqual([pdf?.id]);
    expect(idsOf((await list(app, '?format=csv')).jobs)).toEqual([csv?.id]);
  });

  it('pages through every job with limit and cursor, each job once, newest first', async () => {
    const app = await buildTestApp();
    // Submitted back to back, some share a millisecond: the id then orders them.
    const submitted: JobView[] = [];
    for (let index = 0; index < 7; index += 1) {
      submitted.push(await submitJob(app, { format: 'csv', data: trades }));
    }
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=3' : `?limit=3&cursor=${cursor}`;
      const page = await list(app, query);
      pages.push(idsOf(page.jobs));
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 10);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    const paged = pages.flat();
    expect(new Set(paged).size).toBe(7);
    expect(paged).toEqual(idsOf((await list(app, '?limit=100')).jobs));
    expect([...paged].sort()).toEqual(idsOf(submitted).sort());
  });

  it('pages through a filtered list with the cursor of that list', async () => {
    const app = await buildTestApp();
    const submitted = await submitInTurn(app, ['pdf', 'csv', 'pdf', 'csv', 'pdf']);
    const first = await list(app, '?format=pdf&limit=2');
    const second = await list(app, `?format=pdf&limit=2&cursor=${first.nextCursor}`);
    const pdfIds = idsOf(submitted.filter((job) => job.format === 'pdf')).reverse();
    expect(idsOf(first.jobs)).toEqual(pdfIds.slice(0, 2));
    expect(idsOf(second.jobs)).toEqual(pdfIds.slice(2));
    expect(second.nextCursor).toBeNull();
  });

  it('shows 20 jobs when no limit is given', async () => {
    const app = await buildTestApp();
    for (let index = 0; index < 21; index += 1) {
      await submitJob(app, { format: 'csv', data: trades });
    }
    const page = await list(app);
    expect(page.jobs).toHaveLength(20);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ['not base64 JSON', 'nope'],
    ['JSON of another shape', Buffer.from('{"createdAt":1}').toString('base64url')],
  ])('answers 400 EXECUTOR_INVALID_REQUEST for a cursor that is %s', async (_name, cursor) => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: `/export/jobs?cursor=${cursor}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'EXECUTOR_INVALID_REQUEST',
      message: 'querystring/cursor must be a nextCursor from an earlier page',
    });
  });

  it.each(['0', '101', '-1', 'ten', '1.5'])(
    'answers 400 naming limit for limit=%s',
    async (limit) => {
      const app = await buildTestApp();
      const response = await app.inject({ method: 'GET', url: `/export/jobs?limit=${limit}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('EXECUTOR_INVALID_REQUEST');
      expect(response.json().message).toContain('limit');
    },
  );

  it.each([
    ['status', 'finished'],
    ['format', 'docx'],
  ])('answers 400 naming %s for an unknown value', async (field, value) => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: `/export/jobs?${field}=${value}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpJson } from './http-json.js';
import { jobFolderFiles } from './job-folders.js';
import { startNdjsonUpload } from './ndjson-upload.js';
import { ndjsonLines } from './sample-records.js';
import { startExecutor } from './spawn-executor.js';
import { exportStatus, waitUntil } from './wait-until.js';

describe('a client that leaves while its job upload spools', () => {
  it('keeps no job and no folder of the upload it never ended', async () => {
    const executor = await startExecutor();
    const jobsFolder = join(executor.exportDirectory, 'jobs');
    const upload = startNdjsonUpload(executor.url, '/export/jobs?format=csv');
    await upload.send(ndjsonLines(1, 1_000));
    await waitUntil(
      'a job folder with the input being spooled',
      async () => {
        const [id] = readdirSync(jobsFolder);
        return id && jobFolderFiles(executor.exportDirectory, id).includes('input.ndjson')
          ? true
          : undefined;
      },
      { timeoutMs: 5_000 },
    );

    upload.request.destroy();

    await waitUntil(
      'the jobs folder to be empty',
      async () => (readdirSync(jobsFolder).length === 0 ? true : undefined),
      { timeoutMs: 5_000 },
    );
    expect((await httpJson(executor.url, '/export/jobs')).json).toEqual({
      jobs: [],
      nextCursor: null,
    });
    expect(await exportStatus(executor.url)).toMatchObject({
      running: 0,
      queued: 0,
      jobs: { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 },
    });
    // A client leaving is not a server failure: one info line, no error.
    expect(executor.logMessages()).toContain('client went away before the answer');
    expect(executor.logMessages()).not.toContain('request failed');
  }, 20_000);
});

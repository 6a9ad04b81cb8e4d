import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startExecutor } from './spawn-executor.js';
import { uploadNdjson } from './upload-ndjson.js';

const megabyte = 1024 * 1024;

describe('an NDJSON job upload stopped part-way by its own content', () => {
  it('gets its 413 EXECUTOR_TOO_MANY_ROWS, not a reset, though its client keeps sending', async () => {
    const executor = await startExecutor({ EXPORT_MAX_ROWS: '1000' });
    // The rest of the upload is read and dropped after the answer, so the client receives it.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = await uploadNdjson(executor.url, '/export/jobs?format=csv', 8 * megabyte);
      expect(outcome).toMatchObject({
        status: 413,
        code: 'EXECUTOR_TOO_MANY_ROWS',
        error: undefined,
      });
    }
    expect(readdirSync(join(executor.exportDirectory, 'jobs'))).toEqual([]);
  }, 30_000);
});

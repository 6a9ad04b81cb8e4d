import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startNdjsonUpload } from './ndjson-upload.js';
import { ndjsonLines } from './sample-records.js';
import { startExecutor } from './spawn-executor.js';
import { uploadNdjson } from './upload-ndjson.js';
import { waitUntilRunning } from './wait-until.js';

const megabyte = 1024 * 1024;

describe('an NDJSON upload refused before it is read', () => {
  it.each(['/export/jobs?format=csv', '/export/stream?format=csv'])(
    'gets its 429 at once on %s, not a reset, though its client keeps sending on a Connection: close',
    async (path) => {
      const executor = await startExecutor({ EXPORT_MAX_CONCURRENT: '1', EXPORT_MAX_QUEUE: '0' });
      const holder = startNdjsonUpload(executor.url, '/export/stream?format=csv');
      await holder.send(ndjsonLines(1, 10));
      await waitUntilRunning(executor.url, 1);

      // Closing over the unread rest would reset the connection, and the client lose the answer.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const outcome = await uploadNdjson(executor.url, path, 8 * megabyte);
        expect(outcome).toMatchObject({
          status: 429,
          retryAfter: expect.stringMatching(/^[1-9][0-9]*$/),
          code: 'LIMITER_QUEUE_FULL',
          error: undefined,
        });
        // Answered before the upload was read: no more of it was sent than the socket buffers hold.
        expect(outcome.sentWhenAnswered).toBeLessThan(8 * megabyte);
      }
      expect(readdirSync(join(executor.exportDirectory, 'jobs'))).toEqual([]);
      holder.request.destroy();
    },
    20_000,
  );
});

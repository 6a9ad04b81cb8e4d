import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRawUpload } from './raw-upload.js';
import { ndjsonLines } from './sample-records.js';
import { exitWithin, startExecutor } from './spawn-executor.js';
import { uploadNdjson } from './upload-ndjson.js';

const megabyte = 1024 * 1024;
// About 64 KiB of valid NDJSON.
const validLines = ndjsonLines(1, 600);

describe('an upload stopped part-way by its own content', () => {
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

  it.each([
    {
      path: '/export/jobs?format=csv',
      first: validLines,
      status: 413,
      code: 'EXECUTOR_TOO_MANY_ROWS',
    },
    {
      path: '/export/jobs?format=csv',
      first: 'not json\n',
      status: 400,
      code: 'EXPORT_INVALID_RECORD',
    },
    {
      path: '/export/stream?format=csv',
      first: 'not json\n',
      status: 400,
      code: 'EXPORT_INVALID_RECORD',
    },
  ])(
    'on $path, reads and drops the rest, so a client that sends all 8 MiB anyway gets its $status $code',
    async ({ path, first, status, code }) => {
      const executor = await startExecutor({ EXPORT_MAX_ROWS: '1000' });
      const upload = await startRawUpload(executor.url, path);
      await upload.send(first);
      // Far more than the sockets buffer: this only ends if the server keeps reading.
      for (let sent = 0; sent < 8 * megabyte; sent += validLines.length) {
        await upload.send(validLines);
      }
      await upload.end();
      const answer = await upload.answer();
      expect({ status: answer.statusCode, code: answer.json?.code }).toEqual({ status, code });
      // What followed the refusal was never parsed: the connection is not reused.
      expect(answer.headers.connection).toBe('close');
      upload.socket.destroy();
      expect(readdirSync(join(executor.exportDirectory, 'jobs'))).toEqual([]);
    },
    30_000,
  );

  it('gets its 413 EXECUTOR_BODY_TOO_LARGE for a JSON body over the limit, though its client sends all 8 MiB', async () => {
    const executor = await startExecutor({ EXPORT_BODY_LIMIT_MB: '1' });
    const upload = await startRawUpload(executor.url, '/export/jobs', 'application/json');
    const records = '{"id":1},'.repeat(7_000);
    await upload.send('{"format":"csv","data":[');
    for (let sent = 0; sent < 8 * megabyte; sent += records.length) await upload.send(records);
    await upload.send('{"id":1}]}');
    await upload.end();
    const answer = await upload.answer();
    expect({ status: answer.statusCode, code: answer.json?.code }).toEqual({
      status: 413,
      code: 'EXECUTOR_BODY_TOO_LARGE',
    });
    expect(answer.headers.connection).toBe('close');
    upload.socket.destroy();
  }, 30_000);

  it('leaves no connection open that holds up SIGTERM, though its client neither ends nor leaves', async () => {
    const executor = await startExecutor({ EXPORT_MAX_ROWS: '1000' });
    const upload = await startRawUpload(executor.url, '/export/jobs?format=csv');
    await upload.send(ndjsonLines(1, 1_001));
    const answer = await upload.answer();
    expect(answer.json?.code).toBe('EXECUTOR_TOO_MANY_ROWS');
    // The socket stays open with the upload unfinished; the idle timeout (60 s) is far off.
    executor.child.kill('SIGTERM');
    expect(await exitWithin(executor, 5_000)).toBe(0);
    upload.socket.destroy();
  }, 30_000);
});

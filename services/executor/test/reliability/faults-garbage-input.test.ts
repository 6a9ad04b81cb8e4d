import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpJson } from '../real-server/http-json.js';
import { partialFilesUnder } from '../real-server/job-folders.js';
import { startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { ndjsonLines, sampleRecords } from '../real-server/sample-records.js';
import { exportFiles, startExecutor } from '../real-server/spawn-executor.js';
import { waitUntilIdle } from '../real-server/wait-until.js';
import { metricSum } from './faults-metrics.js';
import { readResponse } from './faults-response.js';

// Fault: the source of an upload turns to garbage halfway through. Whatever the route, the
// answer names the line, and nothing of the export or the job is kept.

const garbageLines = [
  ['binary bytes', '\u0000\u00ff\u00fe\u0001 not json at all', /^line \d+ is not valid JSON/],
  ['a record cut short', '{"id":12,"timestamp":"2024-01-01T00:', /^line \d+ is not valid JSON/],
  ['a bare number', '42', /^line \d+ must be a JSON object or array, got 42/],
] as const;

const waitMs = 10_000;

/** Records 1 to `before`, the garbage as line `before + 1`, then records up to `total`. */
async function uploadWithGarbage(
  url: string,
  path: string,
  { before, total, garbage }: { before: number; total: number; garbage: string },
) {
  const upload = startNdjsonUpload(url, path);
  try {
    await upload.send(ndjsonLines(1, before));
    await upload.send(`${garbage}\n`);
    await upload.send(ndjsonLines(before + 2, total));
    await upload.end();
  } catch {
    // The server may answer and close before it has read the whole upload.
  }
  return readResponse(await upload.response);
}

function jobFolders(exportDirectory: string): string[] {
  return readdirSync(join(exportDirectory, 'jobs'));
}

describe('an NDJSON upload that turns to garbage halfway', () => {
  it.each(garbageLines)(
    'to /export/stream before the first bytes: 400 EXPORT_INVALID_RECORD naming the line (%s)',
    async (_kind, garbage, message) => {
      const executor = await startExecutor();
      const { url, exportDirectory } = executor;

      const answer = await uploadWithGarbage(url, '/export/stream?format=csv', {
        before: 49,
        total: 200,
        garbage,
      });

      expect(answer.status).toBe(400);
      const body = JSON.parse(answer.head) as { code: string; message: string };
      expect(body.code).toBe('EXPORT_INVALID_RECORD');
      expect(body.message).toMatch(message);
      expect(body.message).toContain('line 50 ');
      await waitUntilIdle(url, waitMs);
      expect(exportFiles(exportDirectory)).toEqual([]);
      expect(partialFilesUnder(exportDirectory)).toEqual([]);
      expect(
        await metricSum(url, 'export_fail_total', { format: 'csv', reason: 'validation' }),
      ).toBe(1);
    },
  );

  it('to /export/stream after bytes were sent: the transfer is cut short, nothing past the bad line', async () => {
    const executor = await startExecutor();
    const { url, exportDirectory } = executor;
    const goodLines = 30_000;
    const upload = startNdjsonUpload(url, '/export/stream?format=csv&csvProfile=rfc4180');
    await upload.send(ndjsonLines(1, goodLines));
    const response = await upload.response;
    expect(response.statusCode).toBe(200);
    const reading = readResponse(response);

    try {
      await upload.send('{"id": garbage\n');
      await upload.send(ndjsonLines(goodLines + 2, goodLines + 1_000));
      await upload.end();
    } catch {
      // The server cuts the connection: later writes may fail.
    }
    const answer = await reading;

    expect(answer.complete).toBe(false);
    expect(answer.bytes).toBeGreaterThan(0);
    // The header and at most the good records: nothing after the garbage was exported.
    expect(answer.newlines).toBeLessThanOrEqual(goodLines + 1);
    await waitUntilIdle(url, waitMs);
    expect(exportFiles(exportDirectory)).toEqual([]);
    expect(partialFilesUnder(exportDirectory)).toEqual([]);
    expect(await metricSum(url, 'export_fail_total', { reason: 'validation' })).toBe(1);
    expect(await metricSum(url, 'export_requests_total', { outcome: 'success' })).toBe(0);
  });

  it.each(garbageLines)(
    'to /export/jobs: 400 at submission naming the line, and no job folder (%s)',
    async (_kind, garbage, message) => {
      const executor = await startExecutor();
      const { url, exportDirectory } = executor;

      const answer = await uploadWithGarbage(url, '/export/jobs?format=pdf', {
        before: 4_999,
        total: 6_000,
        garbage,
      });

      expect(answer.status).toBe(400);
      const body = JSON.parse(answer.head) as { code: string; message: string };
      expect(body.code).toBe('EXPORT_INVALID_RECORD');
      expect(body.message).toMatch(message);
      expect(body.message).toContain('line 5000 ');
      expect(jobFolders(exportDirectory)).toEqual([]);
      const list = await httpJson(url, '/export/jobs');
      expect(list.json).toEqual({ jobs: [], nextCursor: null });
      expect(partialFilesUnder(exportDirectory)).toEqual([]);
    },
  );
});

describe('a JSON body with a bad record halfway', () => {
  const data = (): unknown[] => {
    const records: unknown[] = sampleRecords(1_000);
    records[700] = 'not a record';
    return records;
  };

  it.each(['/export/run', '/export/stream', '/export/jobs'])(
    'to %s: 400 naming the record, and nothing kept',
    async (path) => {
      const executor = await startExecutor();
      const { url, exportDirectory } = executor;

      const answer = await httpJson(url, path, { body: { format: 'csv', data: data() } });

      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ code: 'EXECUTOR_INVALID_REQUEST' });
      expect((answer.json as { message: string }).message).toContain('body/data/700');
      expect(exportFiles(exportDirectory)).toEqual([]);
      expect(jobFolders(exportDirectory)).toEqual([]);
      expect(partialFilesUnder(exportDirectory)).toEqual([]);
    },
  );
});

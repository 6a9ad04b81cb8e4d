import { describe, expect, it } from 'vitest';
import { httpJson } from './http-json.js';
import { sampleRecords } from './sample-records.js';
import { exportFiles, startExecutor } from './spawn-executor.js';

const aliceToken = 'alice-token-4f9c2b7e1d';
const bobToken = 'bob-token-8a3e6c0f5b';
const wrongToken = 'mallory-token-0000000000';
const environment = {
  EXPORT_API_TOKENS: `${aliceToken}:alice,${bobToken}:bob`,
  // As much logging as there is: the tokens must stay out of all of it.
  LOG_LEVEL: 'trace',
};
const runBody = { format: 'csv', data: sampleRecords(3) };

// Each test starts its own process, which takes about a second.
const timeoutMs = 15_000;

describe('bearer tokens over HTTP', () => {
  it(
    'answers 401 EXECUTOR_UNAUTHORIZED to an export without a token',
    async () => {
      const executor = await startExecutor(environment);
      const answer = await httpJson(executor.url, '/export/run', { body: runBody });
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.json).toMatchObject({ statusCode: 401, code: 'EXECUTOR_UNAUTHORIZED' });
    },
    timeoutMs,
  );

  it(
    'answers 401 to an export with a token it does not know',
    async () => {
      const executor = await startExecutor(environment);
      const answer = await httpJson(executor.url, '/export/run', {
        body: runBody,
        headers: { authorization: `Bearer ${wrongToken}` },
      });
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ statusCode: 401, code: 'EXECUTOR_UNAUTHORIZED' });
    },
    timeoutMs,
  );

  it(
    'runs the export of a known token',
    async () => {
      const executor = await startExecutor(environment);
      const answer = await httpJson(executor.url, '/export/run', {
        body: runBody,
        headers: { authorization: `Bearer ${bobToken}` },
      });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ success: true, records: 3 });
      const { filename } = (answer.json as { result: { filename: string } }).result;
      expect(exportFiles(executor.exportDirectory)).toEqual([filename]);
    },
    timeoutMs,
  );

  it(
    'serves /metrics and /health without a token',
    async () => {
      const executor = await startExecutor(environment);
      const metrics = await httpJson(executor.url, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^# HELP /m);
      expect((await httpJson(executor.url, '/health')).status).toBe(200);
    },
    timeoutMs,
  );

  it(
    'never writes a token to its logs, known or not',
    async () => {
      const executor = await startExecutor(environment);
      for (const token of [aliceToken, wrongToken]) {
        await httpJson(executor.url, '/export/run', {
          body: runBody,
          headers: { authorization: `Bearer ${token}` },
        });
      }
      await httpJson(executor.url, '/export/status', {
        headers: { authorization: `Bearer ${aliceToken}` },
      });
      expect(await executor.stop('SIGTERM')).toBe(0);

      const logs = executor.logs();
      // The requests were logged, so the check below looked at real log lines.
      expect(logs).toContain('"statusCode":401');
      expect(logs).toContain('"user":"alice"');
      expect(logs).toContain('executor stopped');
      for (const secret of [aliceToken, bobToken, wrongToken]) expect(logs).not.toContain(secret);
    },
    timeoutMs,
  );
});

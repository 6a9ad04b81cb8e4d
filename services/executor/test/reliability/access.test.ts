import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { build, type ExecutorApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildTestApp } from '../build-test-app.js';
import {
  finishedJob,
  type Headers,
  holdAnExportSlot,
  type JobView,
  ndjsonOf,
  sha256Of,
  submitJob,
  trades,
  waitForJobStatus,
} from '../job-helpers.js';

/**
 * With EXPORT_API_TOKENS set: every /export/* route but the metrics wants a valid bearer token,
 * one user never reaches another's jobs, and no token ever reaches the log.
 *
 * The scheme is matched case-insensitively (`bearer`, `BEARER`), as RFC 9110 §11.1 (formerly
 * RFC 7235 §2.1) says; the token itself is compared exactly, and exactly one space separates
 * them (create-authenticator.test.ts).
 */

const aliceToken = 'alice-token-0123456789abcdef';
const bobToken = 'bob-token-fedcba9876543210xyz';
const wrongToken = 'mallory-token-00000000000000';
const tokens = `${aliceToken}:alice,${bobToken}:bob`;
const alice = { authorization: `Bearer ${aliceToken}` };
const bob = { authorization: `Bearer ${bobToken}` };
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** Every Authorization header that must not let anyone in. */
const refusedCredentials: Array<[string, string | undefined]> = [
  ['no Authorization header', undefined],
  ['an empty header', ''],
  ['an unknown token', `Bearer ${wrongToken}`],
  ['the scheme alone', 'Bearer'],
  ['the scheme and a space', 'Bearer '],
  ['Basic with junk', 'Basic xyz'],
  ['Basic with a real token', `Basic ${base64(`alice:${aliceToken}`)}`],
  ['another scheme', `Token ${aliceToken}`],
  ['a token without a scheme', aliceToken],
  ['a token with a character more', `Bearer ${aliceToken}x`],
  ['a token with a character less', `Bearer ${aliceToken.slice(0, -1)}`],
  ['a token in the wrong case', `Bearer ${aliceToken.toUpperCase()}`],
  ['two tokens', `Bearer ${aliceToken} ${bobToken}`],
  ['two credentials', `Bearer ${aliceToken}, Bearer ${bobToken}`],
  ['a tab for the space', `Bearer\t${aliceToken}`],
  ['two spaces', `Bearer  ${aliceToken}`],
  ['the token:user pair', `Bearer ${aliceToken}:alice`],
  ['the user name', 'Bearer alice'],
];

/** Every /export/* route and method that needs a token; `:id` is one of bob's jobs. */
function guardedRequests(jobId: string): InjectOptions[] {
  const job = `/export/jobs/${jobId}`;
  const body = { format: 'csv', data: trades };
  const ndjson = { 'content-type': 'application/x-ndjson' };
  return [
    { method: 'GET', url: '/export/status' },
    { method: 'HEAD', url: '/export/status' },
    { method: 'POST', url: '/export/run', payload: body },
    { method: 'POST', url: '/export/stream', payload: body },
    {
      method: 'POST',
      url: '/export/stream?format=csv',
      headers: ndjson,
      payload: ndjsonOf(trades),
    },
    { method: 'POST', url: '/export/jobs', payload: body },
    { method: 'POST', url: '/export/jobs?format=csv', headers: ndjson, payload: ndjsonOf(trades) },
    { method: 'GET', url: '/export/jobs' },
    { method: 'HEAD', url: '/export/jobs' },
    { method: 'GET', url: job },
    { method: 'HEAD', url: job },
    { method: 'DELETE', url: job },
    { method: 'GET', url: `${job}/download` },
    { method: 'HEAD', url: `${job}/download` },
  ];
}

const openRequests: InjectOptions[] = ['/health', '/ready', '/metrics', '/export/metrics'].flatMap(
  (url) => [
    { method: 'GET', url },
    { method: 'HEAD', url },
  ],
);

function withAuthorization(request: InjectOptions, authorization: string | undefined) {
  const headers = { ...(request.headers as Headers | undefined) };
  if (authorization !== undefined) headers.authorization = authorization;
  return { ...request, headers };
}

async function listIds(app: ExecutorApp, headers: Headers, query = ''): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/export/jobs?${query}`, headers });
  expect(response.statusCode).toBe(200);
  return response.json<{ jobs: JobView[] }>().jobs.map((job) => job.id);
}

describe('access with EXPORT_API_TOKENS set', () => {
  it('answers 401 EXECUTOR_UNAUTHORIZED with WWW-Authenticate on every guarded route and method, for every refused credential, keeping nothing', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const bobsJob = await finishedJob(app, bob);
    for (const [name, authorization] of refusedCredentials) {
      for (const request of guardedRequests(bobsJob.id)) {
        const response = await app.inject(withAuthorization(request, authorization));
        const label = `${request.method} ${request.url} with ${name}`;
        expect(response.statusCode, label).toBe(401);
        expect(response.headers['www-authenticate'], label).toBe('Bearer');
        if (request.method === 'HEAD') continue;
        expect(response.json(), label).toEqual({
          statusCode: 401,
          code: 'EXECUTOR_UNAUTHORIZED',
          error: 'Unauthorized',
          message: 'a valid `Authorization: Bearer <token>` header is required',
        });
      }
    }
    // Nothing was exported or cancelled meanwhile: bob's one job is there, and still done.
    expect(await listIds(app, bob)).toEqual([bobsJob.id]);
    expect(
      (await app.inject({ method: 'GET', url: bobsJob.links.self, headers: bob })).json(),
    ).toEqual(bobsJob);
  });

  it('matches the scheme case-insensitively but the token exactly', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const response = await app.inject({
        method: 'GET',
        url: '/export/status',
        headers: { authorization: `${scheme} ${aliceToken}` },
      });
      expect(response.statusCode, scheme).toBe(200);
    }
  });

  it('leaves /health, /ready, /metrics and /export/metrics open, whatever the credential', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    for (const [name, authorization] of [
      ...refusedCredentials,
      ['a valid token', alice.authorization] as const,
    ]) {
      for (const request of openRequests) {
        const response = await app.inject(withAuthorization(request, authorization));
        expect(response.statusCode, `${request.method} ${request.url} with ${name}`).toBe(200);
      }
    }
  });

  it("never lets alice list, read, download, HEAD or cancel bob's jobs, which stay intact for bob", async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens, EXPORT_MAX_CONCURRENT: '1' });
    const bobsDone = await finishedJob(app, bob);
    const bobsFile = await app.inject({
      method: 'GET',
      url: bobsDone.links.download,
      headers: bob,
    });
    expect(sha256Of(bobsFile.rawPayload)).toBe(bobsDone.sha256);
    // A queued job too: alice must not learn it exists from a 409 where a stranger gets 404.
    const slot = await holdAnExportSlot(app, bob);
    const bobsQueued = await submitJob(app, { format: 'csv', data: trades }, bob);
    expect(bobsQueued.status).toBe('queued');
    // alice names bob as the body's user: the token, not the body, owns the job.
    const alicesJob = await submitJob(app, { format: 'csv', data: trades, user: 'bob' }, alice);

    for (const job of [bobsDone, bobsQueued]) {
      const attempts: InjectOptions[] = [
        { method: 'GET', url: job.links.self },
        { method: 'HEAD', url: job.links.self },
        { method: 'GET', url: job.links.download },
        { method: 'HEAD', url: job.links.download },
        { method: 'GET', url: job.links.download, headers: { range: 'bytes=0-10' } },
        { method: 'GET', url: job.links.download, headers: { 'if-none-match': '*' } },
        { method: 'DELETE', url: job.links.self },
      ];
      for (const attempt of attempts) {
        const response = await app.inject({
          ...attempt,
          headers: { ...(attempt.headers as Headers | undefined), ...alice },
        });
        const label = `alice ${attempt.method} ${attempt.url} of bob's ${job.status} job`;
        expect(response.statusCode, label).toBe(404);
        if (attempt.method !== 'HEAD') {
          expect(response.json(), label).toEqual({
            statusCode: 404,
            code: 'EXECUTOR_JOB_NOT_FOUND',
            error: 'Not Found',
            message: `no export job ${job.id}`,
          });
        }
        // Exactly what an id that never existed gets.
        const stranger = await app.inject({
          ...attempt,
          url: attempt.url?.toString().replace(job.id, '00000000-0000-4000-8000-000000000000'),
          headers: { ...(attempt.headers as Headers | undefined), ...alice },
        });
        expect(stranger.statusCode, label).toBe(404);
      }
    }
    // Lists, whatever the filter, and with a cursor taken from bob's own list.
    expect(await listIds(app, alice)).toEqual([alicesJob.id]);
    for (const query of ['status=done', 'status=queued', 'format=csv', 'limit=100']) {
      expect(await listIds(app, alice, query)).not.toContain(bobsDone.id);
      expect(await listIds(app, alice, query)).not.toContain(bobsQueued.id);
    }
    const bobsPage = await app.inject({ method: 'GET', url: '/export/jobs?limit=1', headers: bob });
    const { nextCursor } = bobsPage.json<{ nextCursor: string }>();
    expect(nextCursor).toEqual(expect.any(String));
    const withBobsCursor = await listIds(app, alice, `cursor=${encodeURIComponent(nextCursor)}`);
    expect(withBobsCursor).not.toContain(bobsDone.id);
    expect(withBobsCursor).not.toContain(bobsQueued.id);
    // alice's status counts only her own jobs; bob cannot reach alice's job either.
    const alicesStatus = await app.inject({ method: 'GET', url: '/export/status', headers: alice });
    expect(
      Object.values(alicesStatus.json().jobs as Record<string, number>).reduce((a, b) => a + b),
    ).toBe(1);
    expect(
      (await app.inject({ method: 'GET', url: alicesJob.links.self, headers: bob })).statusCode,
    ).toBe(404);
    expect(await listIds(app, bob)).not.toContain(alicesJob.id);

    // bob's jobs are intact: the done one reads and downloads as before, the queued one runs.
    const bobsDoneAfter = await app.inject({
      method: 'GET',
      url: bobsDone.links.self,
      headers: bob,
    });
    expect(bobsDoneAfter.json()).toEqual(bobsDone);
    const again = await app.inject({ method: 'GET', url: bobsDone.links.download, headers: bob });
    expect(sha256Of(again.rawPayload)).toBe(bobsDone.sha256);
    const head = await app.inject({ method: 'HEAD', url: bobsDone.links.download, headers: bob });
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(`"${bobsDone.sha256}"`);
    expect(
      (await app.inject({ method: 'GET', url: bobsQueued.links.self, headers: bob })).json().status,
    ).toBe('queued');
    await slot.release();
    const ran = await waitForJobStatus(app, bobsQueued.id, ['done'], { headers: bob });
    expect(ran.rows).toBe(trades.length);
  });
});

describe('tokens in the log', () => {
  let app: ExecutorApp | undefined;
  const folders: string[] = [];
  afterEach(async () => {
    await app?.close();
    app = undefined;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('never writes a token, in any form, at level trace, on any route, error path or failed config load', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const exportDirectory = mkdtempSync(join(tmpdir(), 'access-log-'));
    folders.push(exportDirectory);
    app = await build({
      config: loadConfig({
        EXPORT_DIR: exportDirectory,
        EXPORT_API_TOKENS: tokens,
        LOG_LEVEL: 'trace',
      }),
      logger: { level: 'trace', stream },
      registry: new Registry(),
    });
    await app.lifecycle.started();

    // Every route, with every credential, valid and not.
    const bobsJob = await finishedJob(app, bob);
    const credentials = [
      ...refusedCredentials.map(([, authorization]) => authorization),
      alice.authorization,
      bob.authorization,
      `bearer ${aliceToken}`,
    ];
    for (const authorization of credentials) {
      for (const request of [...guardedRequests(bobsJob.id), ...openRequests]) {
        await app.inject(withAuthorization(request, authorization));
      }
    }
    // Error paths: bad JSON, a bad NDJSON line, an unknown route, a 500 (the folder gone).
    await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { ...alice, 'content-type': 'application/json' },
      body: '{"format":',
    });
    await app.inject({
      method: 'POST',
      url: '/export/stream?format=csv',
      headers: { ...alice, 'content-type': 'application/x-ndjson' },
      body: '{"a":1}\nnot json\n',
    });
    await app.inject({ method: 'GET', url: '/export/nowhere', headers: bob });
    rmSync(exportDirectory, { recursive: true, force: true });
    const failed = await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: alice,
      payload: { format: 'csv', data: trades },
    });
    expect(failed.statusCode).toBe(500);

    // A failed config load: its message is what server.ts prints, and what a logger would get.
    const malformed = [
      `${aliceToken}:alice,short:bob`,
      `${aliceToken}:alice,${bobToken}:b o b`,
      `${aliceToken}!:alice`,
      `${aliceToken}:alice;${bobToken}:bob`,
    ];
    for (const value of malformed) {
      let thrown: unknown;
      try {
        loadConfig({ EXPORT_API_TOKENS: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'EXECUTOR_INVALID_CONFIG' });
      lines.push(`executor: ${(thrown as Error).message}\n`);
      app.log.error({ err: thrown }, 'configuration refused');
    }
    // Another variable wrong while the tokens are right: the message is about that variable.
    try {
      loadConfig({ EXPORT_API_TOKENS: tokens, PORT: 'eighty' });
    } catch (error) {
      expect((error as Error).message).toMatch(/^environment variable PORT /);
      app.log.error({ err: error }, 'configuration refused');
    }

    const secrets = [aliceToken, bobToken, wrongToken, `alice:${aliceToken}`];
    const forms = secrets.flatMap((secret) => [
      secret,
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      Buffer.from(secret).toString('hex'),
      encodeURIComponent(secret),
    ]);
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(500);
    for (const form of forms) expect(log.includes(form), `the log holds ${form}`).toBe(false);
    // Request lines carry no headers; were they ever logged, authorization must be redacted.
    let requestLines = 0;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { req?: { headers?: Record<string, unknown> } };
      if (entry.req) requestLines += 1;
      const authorization = entry.req?.headers?.authorization;
      if (authorization !== undefined) expect(authorization).toBe('[Redacted]');
    }
    expect(requestLines).toBeGreaterThan(100);
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../src/app.js';
import { buildTestApp } from './build-test-app.js';

// The finding of issue 16: EXPORT_MAX_PER_USER bounds what a user runs, not what they queue, so
// alice's held uploads filled the queue and bob got 429 while a slot was free.
const tokens =
  'aaaaaaaaaaaaaaaa1:alice,bbbbbbbbbbbbbbbb2:bob,cccccccccccccccc3:carol,dddddddddddddddd4:dave';
const alice = { authorization: 'Bearer aaaaaaaaaaaaaaaa1' };
const bob = { authorization: 'Bearer bbbbbbbbbbbbbbbb2' };
const carol = { authorization: 'Bearer cccccccccccccccc3' };
const dave = { authorization: 'Bearer dddddddddddddddd4' };
const limits = {
  EXPORT_API_TOKENS: tokens,
  EXPORT_MAX_PER_USER: '1',
  EXPORT_MAX_QUEUE: '5',
  EXPORT_MAX_CONCURRENT: '3',
};
const trades = [{ id: 1, symbol: 'ACME', qty: 10 }];

/** An NDJSON upload to /export/stream that sends one line and holds its slot until `end`. */
function heldUpload(app: ExecutorApp, headers: Record<string, string>) {
  const body = new PassThrough();
  body.write('{"id":1}\n');
  const response = app.inject({
    method: 'POST',
    url: '/export/stream?format=csv',
    headers: { ...headers, 'content-type': 'application/x-ndjson' },
    payload: body,
  });
  return { response, end: () => body.writableEnded || body.end('{"id":2}\n') };
}

async function statusOf(app: ExecutorApp) {
  return (await app.inject({ method: 'GET', url: '/export/status', headers: bob })).json();
}

async function rejectedCount(app: ExecutorApp): Promise<number> {
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = /export_requests_total\{format="csv",outcome="rejected"\} (\d+)/.exec(metrics);
  return Number(line?.[1] ?? 0);
}

function bobsRun(app: ExecutorApp) {
  return app.inject({
    method: 'POST',
    url: '/export/run',
    headers: bob,
    payload: { format: 'csv', data: trades },
  });
}

describe('fairness between users with EXPORT_MAX_QUEUED_PER_USER', () => {
  it("refuses alice's held uploads beyond her one queued export with 429, and lets bob in while a slot is free", async () => {
    const app = await buildTestApp({ ...limits, EXPORT_MAX_QUEUED_PER_USER: '1' });
    const uploads = Array.from({ length: 6 }, () => heldUpload(app, alice));
    await expect.poll(() => rejectedCount(app)).toBe(4);
    expect(await statusOf(app)).toMatchObject({ running: 1, queued: 1 });

    const bobs = await bobsRun(app);
    const aliceJob = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      headers: alice,
      payload: { format: 'csv', data: trades },
    });
    for (const upload of uploads) upload.end();
    const answers = await Promise.all(uploads.map((upload) => upload.response));

    expect(bobs.statusCode).toBe(200);
    // Her job is refused before its upload is read, with the same answer.
    expect(aliceJob.statusCode).toBe(429);
    expect(aliceJob.json()).toMatchObject({ code: 'LIMITER_KEY_QUEUE_FULL' });
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      200, 200, 429, 429, 429, 429,
    ]);
    for (const refused of answers.filter((answer) => answer.statusCode === 429)) {
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.json()).toMatchObject({
        statusCode: 429,
        code: 'LIMITER_KEY_QUEUE_FULL',
        error: 'Too Many Requests',
        message: expect.stringContaining(
          '1 export of yours already waiting, the most one user may (EXPORT_MAX_QUEUED_PER_USER 1)',
        ),
        retryAfterSeconds: Number(refused.headers['retry-after']),
      });
    }
  });

  it.each([
    ['with', 200, { EXPORT_MAX_QUEUED_PER_USER: '1' }],
    ['without', 429, {}],
  ] as const)(
    '%s it, bob queued behind busy slots while alice holds six uploads is answered %d',
    async (_with, bobsStatus, cap) => {
      const app = await buildTestApp({ ...limits, ...cap });
      const aliceUploads = Array.from({ length: 6 }, () => heldUpload(app, alice));
      // Carol and dave hold the other two slots.
      const others = [heldUpload(app, carol), heldUpload(app, dave)];
      await expect.poll(async () => (await statusOf(app)).running).toBe(3);

      const bobs = bobsRun(app);
      await expect
        .poll(async () => (await statusOf(app)).queued + (await rejectedCount(app)))
        .toBeGreaterThanOrEqual(6);
      others[0]?.end();
      const bobsAnswer = await bobs;
      for (const upload of [...aliceUploads, ...others]) upload.end();
      await Promise.all([...aliceUploads, ...others].map((upload) => upload.response));

      expect(bobsAnswer.statusCode).toBe(bobsStatus);
      if (bobsStatus === 429) {
        expect(bobsAnswer.json()).toMatchObject({ code: 'LIMITER_QUEUE_FULL', maxQueue: 5 });
      }
    },
  );
});

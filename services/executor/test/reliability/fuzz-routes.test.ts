import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../../src/app.js';
import { errorResponse } from '../../src/error-response.js';
import { buildTestApp } from '../build-test-app.js';
import { finishedJob, type JobView, waitUntil } from '../job-helpers.js';

/**
 * Random bodies, query strings, content types, ids and headers at every route and method,
 * through `app.inject`. Whatever arrives, the answer is never a 5xx, every error has the one
 * JSON shape, and nothing rejects or throws unhandled. Bounded and seeded: CI sees the same
 * inputs every run (`FUZZ_SEED=<n>` explores others; keep a failing input as a case).
 */

const seed = Number(process.env.FUZZ_SEED ?? 20_261_128);
const runsPerRoute = 200;
/** `routes` runs of 200 each: a property that covers three routes gets 600. */
const runs = (routes: number) =>
  ({ seed, numRuns: routes * runsPerRoute, endOnFailure: true }) as const;

/** How often each status was answered, per test: printed, to show the fuzz got past the 400s. */
const statuses = new Map<number, number>();

const tokens = 'fuzzfuzzfuzzfuzz-alice:alice,fuzzfuzzfuzzfuzz-bob:bob';

// Unhandled rejections and uncaught exceptions during a test fail it.
const unhandled: unknown[] = [];
const onUnhandled = (error: unknown) => {
  unhandled.push(error);
};
beforeEach(() => {
  unhandled.length = 0;
  statuses.clear();
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterEach(async (context) => {
  const tally = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`);
  console.info(`${context.task.name} (seed ${seed}): ${tally.join(', ')}`);
  // A rejection is reported a tick after it happens: give stragglers the chance to show.
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  expect(unhandled).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
});

/** Sends one request and checks the answer: below 500, and an error in the one shape. */
async function expectSafeAnswer(app: ExecutorApp, request: InjectOptions): Promise<number> {
  const response = await app.inject(request);
  statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
  const label = `${request.method} ${request.url} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, label).toBeLessThan(500);
  if (response.statusCode >= 400 && request.method !== 'HEAD') {
    expect(response.headers['content-type'], label).toMatch(/^application\/json/);
    expect(response.json(), label).toMatchObject({
      statusCode: response.statusCode,
      code: expect.stringMatching(/^(EXECUTOR|EXPORT|LIMITER)_[A-Z0-9_]+$/),
      error: expect.any(String),
      message: expect.any(String),
    });
  }
  return response.statusCode;
}

/**
 * A job that was accepted may still fail as it runs, which no answer shows: waits for every job
 * to settle, then checks that none failed with a server error (a 500 in its `error`).
 */
async function expectNoJobFailedOnTheServer(app: ExecutorApp): Promise<void> {
  let jobs: JobView[] = [];
  await waitUntil(
    'every fuzzed job has settled',
    async () => {
      jobs = [];
      let cursor: string | null = null;
      do {
        const page: LightMyRequestResponse = await app.inject({
          method: 'GET',
          url: `/export/jobs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        });
        const body: { jobs: JobView[]; nextCursor: string | null } = page.json();
        jobs.push(...body.jobs);
        cursor = body.nextCursor;
      } while (cursor !== null);
      return jobs.every((job) => job.status !== 'queued' && job.status !== 'running');
    },
    60_000,
  );
  const serverFailures = jobs.filter(
    (job) => job.error && errorResponse({ code: job.error.code }).statusCode >= 500,
  );
  expect(serverFailures.map((job) => job.error)).toEqual([]);
}

const exportPaths = ['/export/run', '/export/stream', '/export/jobs'] as const;
const everyPath = [
  '/health',
  '/ready',
  '/metrics',
  '/docs/json',
  '/export/metrics',
  '/export/status',
  '/export/run',
  '/export/stream',
  '/export/jobs',
  '/export/jobs/00000000-0000-4000-8000-000000000000',
  '/export/jobs/00000000-0000-4000-8000-000000000000/download',
  '/export',
  '/export/',
  '/',
] as const;
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/x-ndjson',
    'application/x-ndjson; charset=utf-16',
    'APPLICATION/X-NDJSON',
    'text/plain',
    'text/csv',
    'application/octet-stream',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '*/*',
  ),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
);

/** Text that is safe in a URL once percent-encoded, and now and then raw `%` garbage. */
const urlText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9%._~,=&+-]{0,40}$/),
);

const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'format',
          'columns',
          'title',
          'csvProfile',
          'status',
          'limit',
          'cursor',
          'user',
          '__proto__',
          'constructor',
        ),
        urlText,
      ),
      fc.oneof(fc.constantFrom('csv', 'pdf', 'excel', 'rfc4180', 'done', '1', '100'), urlText),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join('&'));

/** Mostly `valid`, now and then `wrong`: enough valid input to get past validation into exports. */
function mostly<Value>(valid: fc.Arbitrary<Value>, wrong: fc.Arbitrary<unknown>) {
  return fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: wrong, weight: 1 });
}
/** Absent (JSON.stringify drops undefined) most of the time. */
function rarely(value: fc.Arbitrary<unknown>) {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: value, weight: 1 },
  );
}

const fieldName = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), weight: 9 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), weight: 1 },
);

const record = mostly(
  fc.dictionary(fieldName, fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 6 }),
  fc.oneof(
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 6 }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);

const columnsOption = rarely(
  mostly(
    fc.array(
      mostly(
        fieldName,
        fc.record(
          {
            key: mostly(fieldName, fc.jsonValue({ maxDepth: 1 })),
            header: mostly(fc.string({ maxLength: 8 }), fc.integer()),
            width: mostly(fc.double({ min: 1, max: 2000, noNaN: true }), fc.double()),
            align: mostly(fc.constantFrom('left', 'center', 'right'), fc.string()),
          },
          { requiredKeys: [] },
        ),
      ),
      { minLength: 1, maxLength: 6 },
    ),
    fc.jsonValue({ maxDepth: 1 }),
  ),
);

/** Bodies shaped like an export request, each field now and then of the wrong type. */
const exportBody = fc.record({
  format: mostly(fc.constantFrom('csv', 'pdf'), fc.jsonValue({ maxDepth: 1 })),
  data: mostly(fc.array(record, { maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })),
  columns: columnsOption,
  title: rarely(mostly(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.jsonValue())),
  user: rarely(mostly(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 }))),
  csvProfile: rarely(mostly(fc.constantFrom('excel', 'rfc4180'), fc.jsonValue({ maxDepth: 1 }))),
  extra: rarely(rarely(fc.jsonValue({ maxDepth: 1 }))),
});

/** NDJSON uploads: JSON lines, now and then junk lines, blank lines, CRLF, stray bytes. */
const ndjsonBody = fc
  .array(
    mostly(
      record.map((value) => JSON.stringify(value)),
      fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constant(''), fc.constant('\r')),
    ),
    { maxLength: 20 },
  )
  .chain((lines) =>
    fc.oneof(
      fc.constant(lines.join('\n')),
      fc.constant(`${lines.join('\n')}\n`),
      fc.constant(lines.join('\r\n')),
      fc
        .uint8Array({ maxLength: 16 })
        .map((bytes) => Buffer.concat([Buffer.from(lines.join('\n')), Buffer.from(bytes)])),
    ),
  );

/** The options of an NDJSON upload, mostly right. */
const ndjsonQuery = mostly(
  fc
    .record({
      format: mostly(fc.constantFrom('csv', 'pdf'), urlText),
      columns: rarely(
        fc.array(fieldName, { minLength: 1, maxLength: 5 }).map((keys) => keys.join(',')),
      ),
      title: rarely(fc.string({ unit: 'grapheme', maxLength: 60 })),
      csvProfile: rarely(mostly(fc.constantFrom('excel', 'rfc4180'), fc.string())),
    })
    .map((options) =>
      Object.entries(options)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
        .join('&'),
    ),
  queryString,
);

const rawBody = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(''),
);

const traversalIds = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '..%5C..%5Cwindows',
  '%2e%2e',
  '__proto__',
  'constructor',
  '%00',
  'x'.repeat(101),
];

function jobIds(realIds: readonly string[]) {
  return fc.oneof(
    fc.constantFrom(...realIds),
    fc.uuid(),
    fc.constantFrom(...traversalIds),
    urlText,
    fc.string({ unit: 'grapheme', maxLength: 120 }).map(encodeURIComponent),
  );
}

const headerText = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);

describe('fuzzing every route', () => {
  it('never answers a JSON export body with a 5xx', async () => {
    const app = await buildTestApp({ EXPORT_MAX_QUEUE: '1000' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...exportPaths),
        fc.oneof(exportBody, fc.jsonValue()),
        async (url, body) => {
          await expectSafeAnswer(app, {
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        },
      ),
      runs(exportPaths.length),
    );
    await expectNoJobFailedOnTheServer(app);
  });

  it('never answers an NDJSON upload with a 5xx, whatever its lines and query', async () => {
    const app = await buildTestApp({ EXPORT_MAX_QUEUE: '1000' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/export/stream', '/export/jobs'),
        ndjsonQuery,
        ndjsonBody,
        async (url, query, body) => {
          await expectSafeAnswer(app, {
            method: 'POST',
            url: `${url}?${query}`,
            headers: { 'content-type': 'application/x-ndjson' },
            body,
          });
        },
      ),
      runs(2),
    );
    await expectNoJobFailedOnTheServer(app);
  });

  it('never answers random bytes, content types and query strings with a 5xx', async () => {
    const app = await buildTestApp({ EXPORT_MAX_QUEUE: '1000' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...exportPaths),
        queryString,
        contentTypes,
        rawBody,
        async (url, query, contentType, body) => {
          await expectSafeAnswer(app, {
            method: 'POST',
            url: `${url}?${query}`,
            headers: contentType === '' ? {} : { 'content-type': contentType },
            body,
          });
        },
      ),
      runs(exportPaths.length),
    );
  });

  it('never answers the job routes with a 5xx, whatever the id, query and headers', async () => {
    const app = await buildTestApp();
    const realIds = [(await finishedJob(app)).id, (await finishedJob(app)).id];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['GET', ''],
          ['GET', '/download'],
          ['HEAD', '/download'],
          ['GET', '/download'],
          ['DELETE', ''],
        ),
        jobIds(realIds),
        queryString,
        fc.record(
          {
            range: fc.oneof(
              fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=5-', 'bytes=99999999999999999999-'),
              headerText,
            ),
            'if-none-match': fc.oneof(fc.constant('*'), headerText),
            'if-range': headerText,
          },
          { requiredKeys: [] },
        ),
        async ([method, suffix], id, query, headers) => {
          // DELETE the real jobs rarely: the rest of the run needs something to download.
          if (method === 'DELETE' && realIds.includes(id)) return;
          await expectSafeAnswer(app, {
            method,
            url: `/export/jobs/${id}${suffix}${query ? `?${query}` : ''}`,
            headers,
          });
        },
      ),
      runs(4),
    );
    await expectSafeAnswer(app, { method: 'GET', url: `/export/jobs/${realIds[0]}/download` });
  });

  it('never answers a job list query with a 5xx', async () => {
    const app = await buildTestApp();
    await finishedJob(app);
    await finishedJob(app);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          queryString,
          fc
            .record(
              {
                limit: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), urlText),
                status: fc.oneof(fc.constantFrom('queued', 'done', 'failed'), urlText),
                format: fc.oneof(fc.constantFrom('csv', 'pdf'), urlText),
                cursor: fc.oneof(
                  fc.base64String({ maxLength: 80 }).map(encodeURIComponent),
                  fc
                    .jsonValue()
                    .map((value) =>
                      encodeURIComponent(Buffer.from(JSON.stringify(value)).toString('base64url')),
                    ),
                  urlText,
                ),
              },
              { requiredKeys: [] },
            )
            .map((query) =>
              Object.entries(query)
                .map(([key, value]) => `${key}=${value}`)
                .join('&'),
            ),
        ),
        async (query) => {
          await expectSafeAnswer(app, { method: 'GET', url: `/export/jobs?${query}` });
        },
      ),
      runs(1),
    );
  });

  it('never answers any method on any path with a 5xx, tokens set or not', async () => {
    const open = await buildTestApp();
    const guarded = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.constantFrom(...methods),
        fc.oneof(
          fc.constantFrom(...everyPath),
          fc.webPath().map((path) => (path.startsWith('/') ? path : `/${path}`)),
          urlText.map((text) => `/export/${text}`),
        ),
        queryString,
        fc.record(
          {
            'content-type': contentTypes,
            authorization: fc.oneof(
              fc.constantFrom(
                'Bearer fuzzfuzzfuzzfuzz-alice',
                'bearer fuzzfuzzfuzzfuzz-bob',
                'Bearer',
                'Basic eHl6',
              ),
              headerText.map((text) => `Bearer ${text}`),
              headerText,
            ),
            accept: headerText,
          },
          { requiredKeys: [] },
        ),
        rawBody,
        async (withTokens, method, path, query, headers, body) => {
          const withBody = method !== 'GET' && method !== 'HEAD';
          await expectSafeAnswer(withTokens ? guarded : open, {
            method,
            url: `${path}${query ? `?${query}` : ''}`,
            headers,
            ...(withBody ? { body } : {}),
          });
        },
      ),
      runs(everyPath.length),
    );
  });
});

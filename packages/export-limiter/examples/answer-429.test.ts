import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from './answer-429.js';

let folder: string;

beforeEach(async () => {
  folder = join(await mkdtemp(join(tmpdir(), 'limiter-example-')), 'exports');
});

afterEach(async () => {
  await rm(join(folder, '..'), { recursive: true, force: true });
});

const alice = { authorization: 'Bearer alice-token' };
const bob = { authorization: 'Bearer bob-token' };

it('exports into a folder it creates, with the options picked from the body', async () => {
  const app = await buildApp({ folder, rowsPerExport: 100 });
  const csv = await app.inject({
    method: 'POST',
    url: '/exports',
    headers: alice,
    payload: { format: 'csv' },
  });
  expect(csv.statusCode, csv.body).toBe(200);
  expect(csv.json()).toMatchObject({ rows: 100 });
  const pdf = await app.inject({
    method: 'POST',
    url: '/exports',
    headers: alice,
    payload: { format: 'pdf', title: 'Alice' },
  });
  expect(pdf.json()).toMatchObject({ rows: 100 });
  const extensions = (await readdir(folder)).map((name) => name.split('.')[1]);
  expect(extensions.sort()).toEqual(['csv', 'pdf']);
  await app.close();
});

it('writes where the server says, whatever else the body names', async () => {
  const app = await buildApp({ folder, rowsPerExport: 1 });
  const elsewhere = join(folder, '..', 'elsewhere.csv');
  const answer = await app.inject({
    method: 'POST',
    url: '/exports',
    headers: alice,
    payload: { format: 'csv', destination: elsewhere, pdf: { font: '/etc/passwd' } },
  });
  // Fastify's schema drops the unknown fields; the route never reads them anyway.
  expect(answer.statusCode).toBe(200);
  expect(await readdir(folder)).toHaveLength(1);
  expect(await readdir(join(folder, '..'))).toEqual(['exports']);
  await app.close();
});

it("answers 429 with Retry-After once a user's running and waiting exports are at their caps", async () => {
  const app = await buildApp({ folder, rowsPerExport: 100_000 });
  // `.then` sends the request now: an injected request waits until it is awaited.
  const post = (headers: Record<string, string>) =>
    app
      .inject({ method: 'POST', url: '/exports', headers, payload: { format: 'csv' } })
      .then((answer) => answer);
  // maxPerKey 1 and maxQueuedPerKey 2: alice's first runs, the next two wait, the fourth is refused.
  const accepted = [post(alice), post(alice), post(alice)];
  const refused = await post(alice);
  expect(refused.statusCode).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(refused.json()).toMatchObject({ code: 'LIMITER_KEY_QUEUE_FULL' });
  // Bob still gets the free slot.
  expect((await post(bob)).statusCode).toBe(200);
  for (const answer of await Promise.all(accepted)) expect(answer.statusCode).toBe(200);
  await app.close();
});

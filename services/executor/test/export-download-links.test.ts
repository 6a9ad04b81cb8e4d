import { describe, expect, it } from 'vitest';
import { signDownloadLink } from '../src/links/download-links.js';
import { buildTestApp } from './build-test-app.js';
import {
  finishedJob,
  holdAnExportSlot,
  type JobView,
  sha256Of,
  submitJob,
  trades,
  tradesCsv,
} from './job-helpers.js';

const secret = 'k'.repeat(32);
const oldSecret = 'p'.repeat(32);
const token = 'alice-token-0123456789';
const alice = { authorization: `Bearer ${token}` };
const withLinks = {
  EXPORT_API_TOKENS: `${token}:alice`,
  EXPORT_LINK_SECRET: secret,
};

function linkOf(job: JobView): string {
  if (job.downloadUrl === null) throw new Error(`job ${job.id} has no downloadUrl`);
  return job.downloadUrl;
}

function withQuery(link: string, change: (query: URLSearchParams) => void): string {
  const [path, search] = link.split('?');
  const query = new URLSearchParams(search);
  change(query);
  return `${path}?${query}`;
}

describe('a done job view with EXPORT_LINK_SECRET', () => {
  it('carries a downloadUrl and when it expires (EXPORT_LINK_TTL_S from now)', async () => {
    const app = await buildTestApp({ ...withLinks, EXPORT_LINK_TTL_S: '120' });
    const before = Date.now();
    const job = await finishedJob(app, alice);
    expect(linkOf(job)).toMatch(
      new RegExp(`^/export/downloads/${job.id}\\?expires=[0-9]+&signature=[A-Za-z0-9_-]{43}$`),
    );
    const expiresAt = Date.parse(job.downloadUrlExpiresAt ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 120_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it('carries an absolute downloadUrl under EXPORT_PUBLIC_URL', async () => {
    const app = await buildTestApp({
      ...withLinks,
      EXPORT_PUBLIC_URL: 'https://exports.example.com/executor/',
    });
    const job = await finishedJob(app, alice);
    expect(
      linkOf(job).startsWith(`https://exports.example.com/executor/export/downloads/${job.id}?`),
    ).toBe(true);
  });

  it('carries none while the job is queued', async () => {
    const app = await buildTestApp({ ...withLinks, EXPORT_MAX_CONCURRENT: '1' });
    const slot = await holdAnExportSlot(app, alice);
    try {
      const job = await submitJob(app, { format: 'csv', data: trades }, alice);
      expect(job.status).toBe('queued');
      expect(job.downloadUrl).toBeNull();
      expect(job.downloadUrlExpiresAt).toBeNull();
    } finally {
      await slot.release();
    }
  });
});

describe('GET /export/downloads/:id (a signed link)', () => {
  it('serves the file without an Authorization header, as the bearer download does', async () => {
    const app = await buildTestApp(withLinks);
    const job = await finishedJob(app, alice);
    const response = await app.inject({ method: 'GET', url: linkOf(job) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toBe(tradesCsv);
    expect(response.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(Buffer.byteLength(tradesCsv)),
      'content-disposition': `attachment; filename="export-${job.id}.csv"`,
      etag: `"${sha256Of(tradesCsv)}"`,
      'accept-ranges': 'bytes',
      'referrer-policy': 'no-referrer',
    });
    // The bearer route itself still wants the token.
    const bearer = await app.inject({ method: 'GET', url: job.links.download });
    expect(bearer.statusCode).toBe(401);
  });

  it('supports HEAD, Range and If-None-Match', async () => {
    const app = await buildTestApp(withLinks);
    const job = await finishedJob(app, alice);
    const head = await app.inject({ method: 'HEAD', url: linkOf(job) });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(tradesCsv)));
    expect(head.body).toBe('');
    const ranged = await app.inject({
      method: 'GET',
      url: linkOf(job),
      headers: { range: 'bytes=0-9' },
    });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.body).toBe(tradesCsv.slice(0, 10));
    expect(ranged.headers['content-range']).toBe(`bytes 0-9/${Buffer.byteLength(tradesCsv)}`);
    const cached = await app.inject({
      method: 'GET',
      url: linkOf(job),
      headers: { 'if-none-match': `"${job.sha256}"` },
    });
    expect(cached.statusCode).toBe(304);
  });

  it.each([
    [
      'a changed signature',
      (link: string) => withQuery(link, (q) => q.set('signature', `${'A'.repeat(42)}B`)),
    ],
    [
      'a later expiry',
      (link: string) =>
        withQuery(link, (q) => q.set('expires', String(Number(q.get('expires')) + 86_400))),
    ],
    ['no signature', (link: string) => withQuery(link, (q) => q.delete('signature'))],
    ['no expiry', (link: string) => withQuery(link, (q) => q.delete('expires'))],
  ])('answers 403 EXECUTOR_LINK_INVALID for %s, with or without a token', async (_name, tamper) => {
    const app = await buildTestApp(withLinks);
    const job = await finishedJob(app, alice);
    for (const headers of [{}, alice]) {
      const response = await app.inject({ method: 'GET', url: tamper(linkOf(job)), headers });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'EXECUTOR_LINK_INVALID' });
    }
  });

  it("answers 403 EXECUTOR_LINK_INVALID for one job's signature on another job", async () => {
    const app = await buildTestApp(withLinks);
    const first = await finishedJob(app, alice);
    const second = await finishedJob(app, alice);
    const swapped = linkOf(first).replace(first.id, second.id);
    const response = await app.inject({ method: 'GET', url: swapped });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('EXECUTOR_LINK_INVALID');
  });

  it('answers 403 EXECUTOR_LINK_EXPIRED for a link past its expiry, saying when', async () => {
    const app = await buildTestApp(withLinks);
    const job = await finishedJob(app, alice);
    const expires = Math.floor(Date.now() / 1000) - 1;
    const url = `/export/downloads/${job.id}?expires=${expires}&signature=${signDownloadLink(secret, job.id, expires)}`;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      code: 'EXECUTOR_LINK_EXPIRED',
      message: `this download link expired at ${new Date(expires * 1000).toISOString()}; GET the job again for a fresh one`,
    });
  });

  it('keeps working across a rotation: signed with the old secret, verified by "new,old"', async () => {
    const expires = Math.floor(Date.now() / 1000) + 600;
    const app = await buildTestApp({ ...withLinks, EXPORT_LINK_SECRET: `${secret},${oldSecret}` });
    const job = await finishedJob(app, alice);
    const url = `/export/downloads/${job.id}?expires=${expires}&signature=${signDownloadLink(oldSecret, job.id, expires)}`;
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
    // New links are signed with the first.
    const fresh = new URLSearchParams(linkOf(job).split('?')[1]);
    expect(fresh.get('signature')).toBe(
      signDownloadLink(secret, job.id, Number(fresh.get('expires'))),
    );
  });

  it('answers 404 EXECUTOR_JOB_NOT_FOUND once the job is deleted', async () => {
    const app = await buildTestApp(withLinks);
    const job = await finishedJob(app, alice);
    const deleted = await app.inject({ method: 'DELETE', url: job.links.self, headers: alice });
    expect(deleted.statusCode).toBe(200);
    const response = await app.inject({ method: 'GET', url: linkOf(job) });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('EXECUTOR_JOB_NOT_FOUND');
  });
});

describe('without EXPORT_LINK_SECRET', () => {
  it('gives done jobs no downloadUrl and refuses every link with 403 EXECUTOR_LINK_INVALID', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: `${token}:alice` });
    const job = await finishedJob(app, alice);
    expect(job.status).toBe('done');
    expect(job.downloadUrl).toBeNull();
    expect(job.downloadUrlExpiresAt).toBeNull();
    const expires = Math.floor(Date.now() / 1000) + 600;
    const url = `/export/downloads/${job.id}?expires=${expires}&signature=${signDownloadLink(secret, job.id, expires)}`;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      code: 'EXECUTOR_LINK_INVALID',
      message:
        'this download link is not valid: this executor signs no links (EXPORT_LINK_SECRET is not set)',
    });
  });
});

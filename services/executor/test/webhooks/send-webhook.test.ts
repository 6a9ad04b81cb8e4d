import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../src/webhooks/send-webhook.js';
import { webhookRetryDelayMs } from '../../src/webhooks/webhook-backoff.js';
import { parseWebhookHosts, webhookHostsOf } from '../../src/webhooks/webhook-hosts.js';
import { signWebhook, verifyWebhookSignature } from '../../src/webhooks/webhook-signature.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
}

const timeouts = { connectTimeoutMs: 1000, responseTimeoutMs: 300 };

describe('sendWebhook', () => {
  it('is a retry, not a hang, when the receiver never answers', async () => {
    const url = await serve(() => {});
    const started = Date.now();
    const attempt = await sendWebhook({ url, body: '{}', headers: {}, ...timeouts });
    expect(attempt).toEqual({ outcome: 'retry', reason: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads no more than a few KB of an endless answer', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const write = () => {
        while (response.write(chunk)) {}
        response.once('drain', write);
      };
      write();
    });
    expect(await sendWebhook({ url, body: '{}', headers: {}, ...timeouts })).toEqual({
      outcome: 'delivered',
      status: 200,
    });
  });

  it('is a retry on a refused connection, a 429 and a 5xx, and rejected on a 3xx or 4xx', async () => {
    const closed = await serve(() => {});
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await sendWebhook({ url: closed, body: '{}', headers: {}, ...timeouts })).toMatchObject({
      outcome: 'retry',
      reason: 'ECONNREFUSED',
    });
    for (const [status, outcome] of [
      [429, 'retry'],
      [503, 'retry'],
      [301, 'rejected'],
      [404, 'rejected'],
    ] as const) {
      const url = await serve((_request, response) => {
        response.writeHead(status, { location: 'http://127.0.0.1:1/' }).end();
      });
      expect(await sendWebhook({ url, body: '{}', headers: {}, ...timeouts })).toMatchObject({
        outcome,
        status,
      });
    }
  });
});

describe('webhookRetryDelayMs', () => {
  it('doubles from the first wait, within ±20 %, and adds up to about an hour over 8 attempts', () => {
    expect(webhookRetryDelayMs(1, 30_000, () => 0.5)).toBe(30_000);
    expect(webhookRetryDelayMs(3, 30_000, () => 0.5)).toBe(120_000);
    expect(webhookRetryDelayMs(1, 30_000, () => 0)).toBe(24_000);
    expect(webhookRetryDelayMs(1, 30_000, () => 0.999_999)).toBe(36_000);
    let total = 0;
    for (let attempt = 1; attempt < 8; attempt += 1)
      total += webhookRetryDelayMs(attempt, 30_000, () => 0.5);
    expect(total / 60_000).toBeCloseTo(63.5, 1);
  });
});

describe('webhook hosts', () => {
  const hosts = webhookHostsOf(parseWebhookHosts('Hooks.Example.com, 10.0.0.7:8443,[::1]:9000'));

  it('admit a listed host on any port, and a listed host:port on that port only', () => {
    expect(hosts.admits(new URL('https://hooks.example.com/x'))).toBe(true);
    expect(hosts.admits(new URL('http://hooks.example.com:8080/x'))).toBe(true);
    expect(hosts.admits(new URL('https://10.0.0.7:8443/x'))).toBe(true);
    expect(hosts.admits(new URL('https://10.0.0.7/x'))).toBe(false);
    expect(hosts.admits(new URL('http://[::1]:9000/x'))).toBe(true);
  });

  it('admit nothing else: not a subdomain, not a look-alike, not the metadata address', () => {
    expect(hosts.admits(new URL('https://evil.hooks.example.com/x'))).toBe(false);
    expect(hosts.admits(new URL('https://hooks.example.com.evil.net/x'))).toBe(false);
    expect(hosts.admits(new URL('http://169.254.169.254/latest'))).toBe(false);
  });
});

describe('the webhook signature', () => {
  const secret = 's'.repeat(32);
  const body = '{"id":"1"}';

  it("is Stripe's scheme: t=<seconds>,v1=<hex HMAC-SHA256 of t.body>", () => {
    expect(signWebhook(secret, 1_700_000_000, body)).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
  });

  it('verifies for its body and a recent time only', () => {
    const header = signWebhook(secret, 1_700_000_000, body);
    expect(verifyWebhookSignature({ secret, header, body, nowSeconds: 1_700_000_100 })).toBe(true);
    expect(
      verifyWebhookSignature({ secret, header, body: `${body} `, nowSeconds: 1_700_000_100 }),
    ).toBe(false);
    expect(verifyWebhookSignature({ secret, header, body, nowSeconds: 1_700_000_400 })).toBe(false);
    expect(
      verifyWebhookSignature({ secret: 'x'.repeat(32), header, body, nowSeconds: 1_700_000_000 }),
    ).toBe(false);
  });
});

describe("docs/api.md's verification snippet", () => {
  it('accepts what the executor signs, and refuses a changed body', async () => {
    const docs = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('**The signature.**'));
    const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeDefined();
    const folder = mkdtempSync(join(tmpdir(), 'webhook-snippet-'));
    try {
      const file = join(folder, 'verify.mjs');
      writeFileSync(file, snippet ?? '');
      const { verifyExportWebhook } = await import(pathToFileURL(file).href);
      const secret = 'v'.repeat(32);
      const body = '{"id":"x","type":"export.job.done"}';
      const header = signWebhook(secret, Math.floor(Date.now() / 1000), body);
      expect(verifyExportWebhook(secret, header, body)).toBe(true);
      expect(verifyExportWebhook(secret, header, body.replace('done', 'failed'))).toBe(false);
      expect(verifyExportWebhook(secret, signWebhook(secret, 1_000, body), body)).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

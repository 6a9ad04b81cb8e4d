import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../src/app.js';
import { buildTestApp } from './build-test-app.js';
import { finishedJob, longJobRows, sampleRows, submitJob } from './job-helpers.js';

const tokens = 'aaaaaaaaaaaaaaaa1:alice';
const alice = 'Bearer aaaaaaaaaaaaaaaa1';
const body = JSON.stringify({ format: 'csv', data: [{ id: 1 }] });

async function listening(app: ExecutorApp): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

/**
 * A request written by hand, as a client would that sends headers Node's client will not (two
 * Authorization headers) or that waits for 100 before its body. Resolves with everything the
 * server sent until it closed the connection, or until `quietMs` passed without a byte.
 */
function rawExchange(
  port: number,
  head: string,
  options: { bodyAfterContinue?: string; quietMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let quiet: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(quiet);
      socket.destroy();
      resolve(received);
    };
    const rearm = () => {
      clearTimeout(quiet);
      quiet = setTimeout(finish, options.quietMs ?? 800);
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      if (options.bodyAfterContinue && received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
        socket.write(options.bodyAfterContinue);
        options.bodyAfterContinue = undefined;
      }
      rearm();
    });
    socket.on('end', finish);
    socket.on('error', reject);
    socket.write(head);
    rearm();
  });
}

const post = (headers: string[]) =>
  [
    'POST /export/run HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...headers,
    '',
    '',
  ].join('\r\n');

describe('HTTP details', () => {
  it('answers two Authorization headers with 400, whichever comes first', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const port = await listening(app);
    for (const pair of [
      [alice, 'Bearer cccccccccccccccc3'],
      ['Bearer cccccccccccccccc3', alice],
    ]) {
      const answer = await rawExchange(
        port,
        `${post(pair.map((value) => `Authorization: ${value}`))}${body}`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('"code":"EXECUTOR_INVALID_REQUEST"');
      expect(answer).toContain('headers/authorization must be sent once');
    }
    app.server.closeAllConnections();
  });

  it('sends 100 Continue only to a request that passed authentication', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const port = await listening(app);
    const refused = await rawExchange(port, post(['Expect: 100-continue']));
    expect(refused).toMatch(/^HTTP\/1\.1 401 /);
    expect(refused).not.toContain('100 Continue');
    const accepted = await rawExchange(
      port,
      post(['Expect: 100-continue', `Authorization: ${alice}`]),
      {
        bodyAfterContinue: body,
      },
    );
    expect(accepted).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    app.server.closeAllConnections();
  });

  it('answers an expectation other than 100-continue with 417 in the error shape', async () => {
    const app = await buildTestApp();
    const port = await listening(app);
    const answer = await rawExchange(port, `${post(['Expect: 200-ok'])}${body}`);
    expect(answer).toMatch(/^HTTP\/1\.1 417 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(json).toEqual({
      statusCode: 417,
      code: 'EXECUTOR_EXPECTATION_FAILED',
      error: 'Expectation Failed',
      message: 'Expect "200-ok" is not supported; only 100-continue is',
    });
    app.server.closeAllConnections();
  });

  it('refuses an encoded body with 415 naming the coding, instead of reading it as plain', async () => {
    const app = await buildTestApp();
    for (const [encoding, payload] of [
      ['gzip', gzipSync(body)],
      ['gzip', Buffer.from(body)],
      ['br', Buffer.from(body)],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/export/run',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        payload,
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().code).toBe('EXECUTOR_UNSUPPORTED_CONTENT_ENCODING');
      expect(response.headers['accept-encoding']).toBe('identity');
    }
    const identity = await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      payload: body,
    });
    expect(identity.statusCode).toBe(200);
  });

  it('reads the Range unit in any case', async () => {
    const app = await buildTestApp();
    const job = await finishedJob(app);
    const response = await app.inject({
      method: 'GET',
      url: job.links.download,
      headers: { range: 'BYTES=0-1' },
    });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes 0-1/${job.bytes}`);
  });

  it('answers If-Match with 412 unless it names the file (strongly) or is *', async () => {
    const app = await buildTestApp();
    const job = await finishedJob(app);
    const download = (ifMatch: string) =>
      app.inject({ method: 'GET', url: job.links.download, headers: { 'if-match': ifMatch } });
    const stale = await download('"0000"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('EXECUTOR_PRECONDITION_FAILED');
    expect((await download(`W/"${job.sha256}"`)).statusCode).toBe(412);
    expect((await download(`"0000", "${job.sha256}"`)).statusCode).toBe(200);
    expect((await download('*')).statusCode).toBe(200);
  });

  it('deletes a job under If-Match only when the tag names its file, or is *', async () => {
    const app = await buildTestApp();
    const job = await finishedJob(app);
    const remove = (ifMatch: string) =>
      app.inject({ method: 'DELETE', url: job.links.self, headers: { 'if-match': ifMatch } });

    const stale = await remove('"0000"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('EXECUTOR_PRECONDITION_FAILED');
    expect((await app.inject({ method: 'GET', url: job.links.self })).statusCode).toBe(200);

    expect((await remove(`"${job.sha256}"`)).json()).toEqual({ id: job.id, status: 'deleted' });
    expect((await remove('*')).statusCode).toBe(404);
  });

  it('refuses If-Match with a tag on a job that has no file yet, and takes * for it', async () => {
    const app = await buildTestApp({ EXPORT_SHUTDOWN_TIMEOUT_S: '0' });
    const job = await submitJob(app, { format: 'pdf', data: sampleRows(longJobRows) });
    const remove = (ifMatch: string) =>
      app.inject({ method: 'DELETE', url: job.links.self, headers: { 'if-match': ifMatch } });

    expect((await remove('"0000"')).statusCode).toBe(412);
    expect((await remove('*')).json()).toMatchObject({ id: job.id, status: 'cancelled' });
  });
});

import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.js';

/** Sends `text` on a new connection and resolves with all the server wrote before closing it. */
function exchangeRaw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.once('close', () => resolve(received));
    socket.once('error', reject);
    socket.end(text);
  });
}

describe('the client timeouts', () => {
  it('bound a whole request by EXPORT_REQUEST_TIMEOUT_S, its headers by at most that', async () => {
    const app = await buildTestApp({ EXPORT_REQUEST_TIMEOUT_S: '20' });

    expect(app.server.requestTimeout).toBe(20_000);
    // Node swaps the two when the headers timeout is the longer.
    expect(app.server.headersTimeout).toBe(20_000);
  });

  it('keep the headers timeout at 60 s under a longer request timeout', async () => {
    const app = await buildTestApp({});

    expect(app.server.requestTimeout).toBe(300_000);
    expect(app.server.headersTimeout).toBe(60_000);
  });

  it('give every connection the idle timeout EXPORT_IDLE_TIMEOUT_S, and decide on it themselves', async () => {
    const app = await buildTestApp({ EXPORT_IDLE_TIMEOUT_S: '15' });

    expect(app.server.timeout).toBe(15_000);
    // With a listener Node closes no idle connection itself: a waiting export is left alone.
    expect(app.server.listenerCount('timeout')).toBe(1);
  });

  it.each([
    [
      `GET /health HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'EXECUTOR_HEADERS_TOO_LARGE',
    ],
    ['NOT-HTTP /health HTTP/1.1\r\nhost: x\r\n\r\n', 400, 'EXECUTOR_INVALID_REQUEST'],
  ])(
    'answer what cannot be parsed with the JSON shape of every error (%#)',
    async (request, status, code) => {
      const app = await buildTestApp({});
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('not listening');

      const received = await exchangeRaw(address.port, request);

      const [head = '', body = ''] = received.split('\r\n\r\n');
      expect(head.split('\r\n')[0]).toBe(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
      );
      expect(JSON.parse(body)).toMatchObject({ statusCode: status, code });
    },
  );
});

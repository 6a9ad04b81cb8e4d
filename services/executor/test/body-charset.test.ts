import { describe, expect, it } from 'vitest';
import { charsetsOf, refuseNonUtf8Charset } from '../src/exports/body-charset.js';
import { buildTestApp } from './build-test-app.js';

// `café` as ISO-8859-1: the é is the single byte 0xE9, which is no UTF-8.
const latin1Body = Buffer.concat([
  Buffer.from('{"format":"csv","data":[{"name":"caf'),
  Buffer.from([0xe9]),
  Buffer.from('"}]}'),
]);
const latin1Line = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9, 0x22, 0x7d])]);

const jsonRoutes = ['/export/run', '/export/stream', '/export/jobs'];
const ndjsonRoutes = ['/export/stream?format=csv', '/export/jobs?format=csv'];

function expectUnsupportedCharset(
  response: { statusCode: number; json(): unknown },
  charset: string,
) {
  expect(response.statusCode).toBe(415);
  expect(response.json()).toEqual({
    statusCode: 415,
    code: 'EXECUTOR_UNSUPPORTED_CHARSET',
    error: 'Unsupported Media Type',
    message: `the body is declared as charset "${charset}"; request bodies must be UTF-8 (charset=utf-8, or no charset)`,
  });
}

describe('the charset of a request body', () => {
  it.each(jsonRoutes)(
    'answers 415 for a JSON body declared as ISO-8859-1 on %s, never a 200 with U+FFFD',
    async (url) => {
      const app = await buildTestApp();
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json; charset=iso-8859-1' },
        body: latin1Body,
      });
      expectUnsupportedCharset(response, 'iso-8859-1');
    },
  );

  it.each(ndjsonRoutes)(
    'answers 415 for an NDJSON upload declared as latin1 on %s',
    async (url) => {
      const app = await buildTestApp();
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-ndjson; charset=Latin1' },
        body: latin1Line,
      });
      expectUnsupportedCharset(response, 'Latin1');
    },
  );

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf8"',
    'Application/JSON; Charset=Utf8',
  ])('reads a JSON body as UTF-8 with content-type %s', async (contentType) => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream',
      headers: { 'content-type': contentType },
      body: JSON.stringify({ format: 'csv', csvProfile: 'rfc4180', data: [{ name: 'café' }] }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('name\r\ncafé\r\n');
  });

  it('reads an NDJSON upload declared as utf-8', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream?format=csv&csvProfile=rfc4180',
      headers: { 'content-type': 'application/x-ndjson; charset=utf-8' },
      body: '{"name":"café"}\n',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('name\r\ncafé\r\n');
  });

  it('keeps a 415 EXECUTOR_UNSUPPORTED_MEDIA_TYPE for another media type, whatever its charset', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { 'content-type': 'text/csv; charset=iso-8859-1' },
      body: 'a,b\n',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('EXECUTOR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('lets a GET through whatever its content-type says: it has no body to read', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'GET',
      url: '/export/jobs',
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('charsetsOf', () => {
  it('reads each charset parameter, unquoted, in any case of its name', () => {
    expect(charsetsOf('application/json')).toEqual([]);
    expect(charsetsOf('application/json; charset=utf-8')).toEqual(['utf-8']);
    expect(charsetsOf('application/json ; CHARSET = "ISO-8859-1" ; q=1')).toEqual(['ISO-8859-1']);
    expect(charsetsOf('application/json; charset=utf-8; charset=latin1')).toEqual([
      'utf-8',
      'latin1',
    ]);
  });
});

describe('refuseNonUtf8Charset', () => {
  it('refuses any charset of a JSON or NDJSON body but UTF-8, with a coded error', () => {
    expect(() => refuseNonUtf8Charset('application/json; charset=utf-16')).toThrow(
      expect.objectContaining({ code: 'EXECUTOR_UNSUPPORTED_CHARSET', statusCode: 415 }),
    );
    expect(() => refuseNonUtf8Charset('application/json; charset=')).toThrow(
      'the body is declared as charset ""',
    );
    expect(() =>
      refuseNonUtf8Charset('application/x-ndjson; charset=utf-8; charset=latin1'),
    ).toThrow('charset "latin1"');
  });

  it('leaves no charset, UTF-8 and other media types alone', () => {
    for (const contentType of [
      undefined,
      'application/json',
      'application/x-ndjson; charset=UTF8',
      'text/plain; charset=latin1',
    ]) {
      expect(() => refuseNonUtf8Charset(contentType)).not.toThrow();
    }
  });

  it('quotes at most 64 characters of the charset it refuses', () => {
    expect(() => refuseNonUtf8Charset(`application/json; charset=${'x'.repeat(10_000)}`)).toThrow(
      `charset "${'x'.repeat(64)}";`,
    );
  });
});

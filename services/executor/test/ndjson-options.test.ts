import { describe, expect, it } from 'vitest';
import { ndjsonOptions, queryColumns } from '../src/exports/ndjson-options.js';
import { buildTestApp } from './build-test-app.js';

const record = { amount: 1, ' amount': 2, 'a,b': 3, c: 4, '[x': 5 };

async function streamColumns(query: string) {
  const app = await buildTestApp();
  return app.inject({
    method: 'POST',
    url: `/export/stream?format=csv&csvProfile=rfc4180&${query}`,
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${JSON.stringify(record)}\n`,
  });
}

function expectInvalid(run: () => unknown, message: string) {
  expect(run).toThrow(expect.objectContaining({ code: 'EXECUTOR_INVALID_REQUEST', message }));
}

describe('columns in the query string of an NDJSON upload', () => {
  it('selects the key with its leading space: keys are never trimmed', async () => {
    const response = await streamColumns('columns=%20amount');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(' amount\r\n2\r\n');
  });

  it('selects a key with a comma through a JSON array', async () => {
    const response = await streamColumns(`columns=${encodeURIComponent('["a,b","c"]')}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('"a,b",c\r\n3,4\r\n');
  });

  it('takes each repeated columns parameter as one key, commas and all', async () => {
    const response = await streamColumns('columns=a,b&columns=c&columns=[x');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('"a,b",c,[x\r\n3,4,5\r\n');
  });

  it('answers 400 naming querystring/columns for an empty key', async () => {
    const response = await streamColumns('columns=amount,,c');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'EXECUTOR_INVALID_REQUEST',
      message: expect.stringMatching(/^querystring\/columns\/1 is an empty key/),
    });
  });

  it('answers 400 naming querystring/columns for a JSON array that is not valid', async () => {
    for (const value of ['["a",', '[1]', '["a",null]', '[]', '[""]']) {
      const response = await streamColumns(`columns=${encodeURIComponent(value)}`);
      expect(response.statusCode, value).toBe(400);
      expect(response.json().message, value).toMatch(/^querystring\/columns/);
    }
  });

  it('answers 400 naming querystring/columns for an empty repeated key', async () => {
    const response = await streamColumns('columns=a&columns=');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^querystring\/columns/);
  });
});

describe('queryColumns', () => {
  it('splits one value on commas and keeps every space', () => {
    expect(queryColumns(' id , qty')).toEqual([' id ', ' qty']);
    expect(queryColumns('id')).toEqual(['id']);
  });

  it('reads one value starting with [ as a JSON array of keys', () => {
    expect(queryColumns('["a,b", " c"]')).toEqual(['a,b', ' c']);
  });

  it('keeps repeated values as they are', () => {
    expect(queryColumns(['a,b', '["c"]', ' d'])).toEqual(['a,b', '["c"]', ' d']);
  });

  it('has no columns when the parameter is absent', () => {
    expect(queryColumns(undefined)).toBeUndefined();
  });

  it('refuses an empty key, wherever it is', () => {
    expectInvalid(
      () => queryColumns('a,'),
      'querystring/columns/1 is an empty key: keys are separated by single commas, and never trimmed',
    );
    expectInvalid(() => queryColumns(',a'), expect.stringContaining('querystring/columns/0'));
    expectInvalid(() => queryColumns(['a', '']), expect.stringContaining('querystring/columns/1'));
    expectInvalid(() => queryColumns('["a",""]'), expect.stringContaining('querystring/columns/1'));
  });

  it('refuses invalid JSON, a JSON value that is not an array and a key that is not a string', () => {
    expectInvalid(
      () => queryColumns('[a]'),
      expect.stringMatching(/^querystring\/columns starts with \[ but is not a JSON array: /),
    );
    expectInvalid(() => queryColumns('["a",2]'), 'querystring/columns/1 must be string');
    expectInvalid(() => queryColumns('[]'), 'querystring/columns must name at least one key');
  });

  it('refuses more keys, or longer keys, than a body may have', () => {
    expectInvalid(
      () => queryColumns(Array.from({ length: 1001 }, (_, index) => `k${index}`).join(',')),
      'querystring/columns must not have more than 1000 keys',
    );
    expectInvalid(
      () => queryColumns(`a,${'x'.repeat(201)}`),
      'querystring/columns/1 must not have more than 200 characters',
    );
  });
});

describe('ndjsonOptions', () => {
  it('passes the later options on as given, and leaves their defaults to the export', () => {
    expect(
      ndjsonOptions({
        format: 'csv',
        timeZone: 'Europe/Paris',
        nullText: 'NULL',
        unknownFields: 'error',
      }),
    ).toEqual({
      format: 'csv',
      columns: undefined,
      title: undefined,
      csvProfile: 'excel',
      timeZone: 'Europe/Paris',
      nullText: 'NULL',
      unknownFields: 'error',
    });
    expect(ndjsonOptions({ format: 'pdf' })).toMatchObject({
      timeZone: undefined,
      nullText: undefined,
      unknownFields: undefined,
    });
  });

  it('refuses an upload without a format', () => {
    expectInvalid(
      () => ndjsonOptions({}),
      'querystring/format must be one of csv, pdf, xlsx for an NDJSON upload',
    );
  });
});

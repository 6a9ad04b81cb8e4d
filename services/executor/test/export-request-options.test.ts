import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.js';

const data = [{ day: '2026-01-31', amount: null }];
const ndjson = { 'content-type': 'application/x-ndjson' };

async function postBody(fields: Record<string, unknown>) {
  const app = await buildTestApp();
  return app.inject({
    method: 'POST',
    url: '/export/stream',
    payload: { format: 'csv', data, ...fields },
  });
}

async function postQuery(query: string) {
  const app = await buildTestApp();
  return app.inject({
    method: 'POST',
    url: `/export/stream?format=csv&${query}`,
    headers: ndjson,
    body: `${JSON.stringify(data[0])}\n`,
  });
}

describe('the timeZone, nullText and unknownFields options and the column type', () => {
  it('accepts them all in a JSON body', async () => {
    const response = await postBody({
      columns: [
        { key: 'day', type: 'date', timeZone: 'Europe/Paris' },
        { key: 'amount', type: 'decimal' },
      ],
      timeZone: 'America/Argentina/Buenos_Aires',
      nullText: 'NULL',
      unknownFields: 'error',
    });
    expect(response.statusCode).toBe(200);
  });

  it('accepts them in the query string of an NDJSON upload', async () => {
    const response = await postQuery('timeZone=Asia/Tokyo&nullText=-&unknownFields=report');
    expect(response.statusCode).toBe(200);
  });

  it.each([
    [{ columns: [{ key: 'day', type: 'money' }] }, 'body/columns/0/type must be equal to one of'],
    [{ columns: [{ key: 'day', timeZone: 'x'.repeat(65) }] }, 'body/columns/0/timeZone must not'],
    [{ timeZone: 'x'.repeat(65) }, 'body/timeZone must not have more than 64 characters'],
    [{ timeZone: '' }, 'body/timeZone must not have fewer than 1 characters'],
    [{ nullText: 'x'.repeat(101) }, 'body/nullText must not have more than 100 characters'],
    [{ nullText: null }, 'body/nullText must be string'],
    [{ unknownFields: 'ignore' }, 'body/unknownFields must be equal to one of the allowed values'],
  ])('answers 400 for the body fields %j', async (fields, message) => {
    const response = await postBody(fields);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'EXECUTOR_INVALID_REQUEST' });
    expect(response.json().message).toContain(message);
  });

  it.each([
    [`timeZone=${'x'.repeat(65)}`, 'querystring/timeZone must not have more than 64 characters'],
    [`nullText=${'x'.repeat(101)}`, 'querystring/nullText must not have more than 100 characters'],
    ['unknownFields=drop', 'querystring/unknownFields must be equal to one of the allowed values'],
    ['nullText=a&nullText=b', 'querystring/nullText must be string'],
  ])('answers 400 for the query %s', async (query, message) => {
    const response = await postQuery(query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'EXECUTOR_INVALID_REQUEST', message });
  });
});

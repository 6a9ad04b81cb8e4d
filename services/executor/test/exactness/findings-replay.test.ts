import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestAppWithFolder } from '../build-test-app.js';
import { submitJob, waitForJobStatus, waitUntil } from '../job-helpers.js';
import { fileOf, pdfText, throughEveryRoute } from './export-routes.js';

// The findings of issue 15, replayed through every route: each gave 200 or `done` and no word.
const numbers =
  '{"orderId":1234567890123456789,"price":100.10,"big":1e21,"huge":1e400,"zero":-0,"pnl":"-3.12345678"}';
const numbersCsv =
  'orderId,price,big,huge,zero,pnl\r\n1234567890123456789,100.10,1e21,1e400,-0,-3.12345678\r\n';

describe('numbers come out of every route as they were sent', () => {
  it('in CSV, plain (rfc4180)', async () => {
    for (const answer of await throughEveryRoute({
      format: 'csv',
      records: [numbers],
      options: { csvProfile: 'rfc4180' },
    })) {
      expect(fileOf(answer).toString('utf8'), answer.route.name).toBe(numbersCsv);
    }
  });

  it('in CSV for Excel: long integers as text, numeric strings never guarded', async () => {
    for (const answer of await throughEveryRoute({ format: 'csv', records: [numbers] })) {
      expect(fileOf(answer).toString('utf8'), answer.route.name).toBe(
        `\uFEFForderId,price,big,huge,zero,pnl\r\n"=""1234567890123456789""",100.10,1e21,1e400,-0,-3.12345678\r\n`,
      );
    }
  });

  it('in PDF', async () => {
    for (const answer of await throughEveryRoute({ format: 'pdf', records: [numbers] })) {
      const text = await pdfText(fileOf(answer));
      for (const value of ['1234567890123456789', '100.10', '1e21', '1e400', '-0', '-3.12345678']) {
        expect(text, `${answer.route.name}: ${value}`).toMatch(
          new RegExp(`(^|\\s)${value.replace(/[.+]/g, '\\$&')}(\\s|$)`),
        );
      }
    }
  });
});

describe('the formula guard', () => {
  const record = '{"qty":"-5","pnl":"-3.12","rate":"+1e5","formula":"=1+2","mail":"@home"}';

  it('is off in rfc4180 (plain) unless asked', async () => {
    for (const answer of await throughEveryRoute({
      format: 'csv',
      records: [record],
      options: { csvProfile: 'rfc4180' },
    })) {
      expect(fileOf(answer).toString('utf8'), answer.route.name).toBe(
        'qty,pnl,rate,formula,mail\r\n-5,-3.12,+1e5,=1+2,@home\r\n',
      );
    }
  });

  it('guards real text in excel, never a plain numeric literal', async () => {
    for (const answer of await throughEveryRoute({ format: 'csv', records: [record] })) {
      expect(fileOf(answer).toString('utf8'), answer.route.name).toBe(
        "\uFEFFqty,pnl,rate,formula,mail\r\n-5,-3.12,+1e5,'=1+2,'@home\r\n",
      );
    }
  });
});

describe('columns stay in the order of the source', () => {
  it('with integer-like keys after others', async () => {
    for (const answer of await throughEveryRoute({
      format: 'csv',
      records: ['{"name":"a","2024":1,"2023":2,"id":3}'],
      options: { csvProfile: 'rfc4180' },
    })) {
      expect(fileOf(answer).toString('utf8'), answer.route.name).toBe(
        'name,2024,2023,id\r\na,1,2,3\r\n',
      );
    }
  });
});

describe('no field vanishes', () => {
  const records = ['{"a":1}', '{"a":2,"b":"lost?"}', '{"c":3}'];

  it('takes every field as a column where the route knows the whole input', async () => {
    for (const answer of await throughEveryRoute({
      format: 'csv',
      records,
      options: { csvProfile: 'rfc4180' },
    })) {
      if (!answer.route.knowsWholeInput) continue;
      expect(fileOf(answer).toString('utf8'), answer.route.name).toBe(
        'a,b,c\r\n1,,\r\n2,lost?,\r\n,,3\r\n',
      );
    }
  });

  it('counts the fields a streamed upload drops, in the metrics', async () => {
    // Over a real connection: an injected response can look closed before the export settles.
    const { app } = await buildTestAppWithFolder();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const response = await fetch(
      `http://127.0.0.1:${port}/export/stream?format=csv&csvProfile=rfc4180`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', connection: 'close' },
        body: records.map((record) => `${record}\n`).join(''),
      },
    );
    expect(await response.text()).toBe('a\r\n1\r\n2\r\n\r\n');
    // Counted once the export has settled, which may be just after its last byte was sent.
    await waitUntil('the dropped fields are counted', async () =>
      /^export_dropped_fields_total\{format="csv"\} 2$/m.test(
        (await app.inject({ method: 'GET', url: '/metrics' })).body,
      ),
    );
    app.server.closeAllConnections();
  });

  it('reports the fields named columns leave out: run result, job view and job manifest', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const body = {
      format: 'csv',
      data: [{ a: 1 }, { a: 2, b: 'lost?' }, { c: 3 }],
      columns: ['a'],
    };
    const dropped = { count: 2, names: ['b', 'c'] };
    const run = await app.inject({ method: 'POST', url: '/export/run', payload: body });
    expect(run.json().result.droppedFields).toEqual(dropped);
    const job = await waitForJobStatus(app, (await submitJob(app, body)).id, ['done']);
    expect(job.droppedFields).toEqual(dropped);
    const manifest = JSON.parse(
      await readFile(join(exportDirectory, 'jobs', job.id, 'manifest.json'), 'utf8'),
    );
    expect(manifest).toMatchObject({ droppedFields: dropped, truncatedCells: { count: 0 } });
  });

  it('fails with a coded 400 on every route with unknownFields: error', async () => {
    for (const answer of await throughEveryRoute({
      format: 'csv',
      // The first record already has a field outside the columns: no byte is sent before.
      records: ['{"a":1,"b":"lost?"}', '{"a":2}'],
      options: { columns: ['a'], unknownFields: 'error' },
    })) {
      expect(answer.answer, answer.route.name).toMatchObject({
        ok: false,
        statusCode: 400,
        code: 'EXPORT_UNKNOWN_FIELD',
      });
      expect(answer.answer.ok || answer.answer.message, answer.route.name).toMatch(/"b"/);
    }
  });
});

describe('input is read as declared', () => {
  it('answers 400 naming the byte offset for invalid UTF-8, JSON and NDJSON, on every route', async () => {
    // `café` in ISO-8859-1: 0xE9 is no UTF-8 sequence, where U+FFFD used to be exported.
    const latin1 = Buffer.concat([
      Buffer.from('{"name":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    for (const answer of await throughEveryRoute({
      format: 'csv',
      records: ['{"name":"tea"}', latin1],
    })) {
      expect(answer.answer, answer.route.name).toMatchObject({
        ok: false,
        statusCode: 400,
        code: 'EXPORT_INVALID_UTF8',
      });
      expect(answer.answer.ok || answer.answer.message, answer.route.name).toMatch(/byte \d+/);
    }
  });

  it('answers 415 for a body declared in another charset than UTF-8, on every route', async () => {
    for (const answer of await throughEveryRoute({
      format: 'csv',
      records: ['{"name":"café"}'],
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    })) {
      expect(answer.answer, answer.route.name).toMatchObject({
        ok: false,
        statusCode: 415,
        code: 'EXECUTOR_UNSUPPORTED_CHARSET',
      });
    }
  });
});

describe('the PDF never cuts a number', () => {
  it('shows twenty columns of 123456789.12 in full, on every route', async () => {
    const record = JSON.stringify(
      Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`c${index}`, 123456789.12])),
    );
    for (const answer of await throughEveryRoute({ format: 'pdf', records: [record] })) {
      const text = await pdfText(fileOf(answer));
      expect(text.match(/123456789\.12/g), answer.route.name).toHaveLength(20);
    }
  });

  it('shows a wider number after the first 100 rows in full, on every route', async () => {
    const records = Array.from({ length: 300 }, (_, id) =>
      JSON.stringify({ id, price: id === 250 ? 1583776.24412345 : 1.5 }),
    );
    for (const answer of await throughEveryRoute({ format: 'pdf', records })) {
      expect(await pdfText(fileOf(answer)), answer.route.name).toContain('1583776.24412345');
    }
  });

  it('refuses a table too wide for the page with a coded 400 naming the limit', async () => {
    const record = JSON.stringify(
      Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`column${index}`, index])),
    );
    for (const answer of await throughEveryRoute({ format: 'pdf', records: [record] })) {
      expect(answer.answer, answer.route.name).toMatchObject({
        ok: false,
        statusCode: 400,
        code: 'EXPORT_TABLE_TOO_WIDE',
      });
      expect(answer.answer.ok || answer.answer.message, answer.route.name).toMatch(/fit/);
    }
  });

  it('refuses a job whose named columns cannot fit before it spools the upload', async () => {
    // More rows than allowed: spooling them first would answer 413 EXECUTOR_TOO_MANY_ROWS.
    const { app, exportDirectory } = await buildTestAppWithFolder({ EXPORT_MAX_ROWS: '10' });
    const columns = Array.from({ length: 1000 }, (_, index) => `column${index}`);
    const response = await app.inject({
      method: 'POST',
      url: `/export/jobs?format=pdf&columns=${columns.join(',')}`,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"column0":1}\n'.repeat(1000),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('EXPORT_TABLE_TOO_WIDE');
    expect(await readdir(join(exportDirectory, 'jobs')).catch(() => [])).toEqual([]);
  });

  it('counts the text it cuts, in the run result and the job view', async () => {
    const { app } = await buildTestAppWithFolder();
    const payload = {
      format: 'pdf',
      columns: [{ key: 'note', width: 40 }],
      data: [{ note: 'a note far too long for forty points' }, { note: 'ok' }],
    };
    const run = await app.inject({ method: 'POST', url: '/export/run', payload });
    expect(run.json().result.truncatedCells).toEqual({ count: 1, columns: ['note'] });
    const job = await submitJob(app, payload);
    const done = await waitForJobStatus(app, job.id, ['done']);
    expect(done.truncatedCells).toEqual({ count: 1, columns: ['note'] });
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { usePoolWithFolder } from '../test-helpers/use-pool-with-folder.js';

const fixture = usePoolWithFolder('export-pool-spool-');

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += size)
    yield bytes.subarray(start, start + size);
}

describe('pool.spool', () => {
  it('writes the records of an NDJSON stream to a file, one per line, and counts them', async () => {
    const path = join(fixture.folder, 'input.ndjson');
    const result = await fixture.pool.spool({
      source: { ndjson: chunksOf('{"id":1,"s":"Şükrü"}\n\n[2,"b"]\r\n{"id":3}', 3) },
      destination: path,
    });
    const text = await readFile(path, 'utf8');
    expect(text).toBe('{"id":1,"s":"Şükrü"}\n[2,"b"]\n{"id":3}\n');
    expect(result).toEqual({
      rows: 3,
      bytes: Buffer.byteLength(text),
      firstRecord: { id: 1, s: 'Şükrü' },
      // Positions, for the array record: a mix is unusual, and still drops nothing.
      keys: ['id', 's', '0', '1'],
    });
  });

  it('gives every field of every record, in the order first seen, as the keys', async () => {
    const result = await fixture.pool.spool({
      source: {
        ndjson: chunksOf('{"name":"a","2024":1,"id":2}\n{"id":3,"lost?":4}\n{"c":5}\n', 7),
      },
      destination: join(fixture.folder, 'input.ndjson'),
    });
    expect(result.keys).toEqual(['name', '2024', 'id', 'lost?', 'c']);
  });

  it('spools a JSON array as NDJSON', async () => {
    const path = join(fixture.folder, 'input.ndjson');
    const result = await fixture.pool.spool({
      source: { json: Buffer.from('[{"a":1},{"a":2}]') },
      destination: path,
    });
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(result.rows).toBe(2);
  });

  it('fails with EXPORT_TOO_MANY_ROWS past maxRows and removes the file', async () => {
    const error = await exportRejectionOf(() =>
      fixture.pool.spool({
        source: { ndjson: chunksOf('{"a":1}\n{"a":2}\n{"a":3}\n', 4) },
        destination: join(fixture.folder, 'input.ndjson'),
        maxRows: 2,
      }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_TOO_MANY_ROWS', row: 2 });
    expect(await readdir(fixture.folder)).toEqual([]);
  });

  it('fails naming the line of a bad NDJSON line and removes the file', async () => {
    const error = await exportRejectionOf(() =>
      fixture.pool.spool({
        source: { ndjson: chunksOf('{"a":1}\n{"a":\n', 4) },
        destination: join(fixture.folder, 'input.ndjson'),
      }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', line: 2 });
    expect(await readdir(fixture.folder)).toEqual([]);
  });

  it('fails naming the line of a record nested deeper than 64 levels, and removes the file', async () => {
    const error = await exportRejectionOf(() =>
      fixture.pool.spool({
        source: { ndjson: chunksOf(`{"a":1}\n${'{"a":'.repeat(65)}1${'}'.repeat(65)}\n`, 64) },
        destination: join(fixture.folder, 'input.ndjson'),
      }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', line: 2 });
    expect(error.message).toBe('line 2 is nested deeper than 64 levels (option `maxDepth`)');
    expect(await readdir(fixture.folder)).toEqual([]);
  });

  it('never overwrites a file that exists', async () => {
    const path = join(fixture.folder, 'input.ndjson');
    await fixture.pool.spool({ source: { json: Buffer.from('[{"a":1}]') }, destination: path });
    const error = await exportRejectionOf(() =>
      fixture.pool.spool({ source: { json: Buffer.from('[{"b":2}]') }, destination: path }),
    );
    expect(error.code).toBe('EXPORT_WRITE_FAILED');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n');
  });
});

describe('pool.inspectJson', () => {
  it('returns where the other members and the records are, and how many records', async () => {
    const text = '{"format":"csv","data":[{"id":1},{"id":2}],"title":"T"}';
    const bytes = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(text)));
    bytes.set(Buffer.from(text));
    const inspection = await fixture.pool.inspectJson(bytes, { recordsKey: 'data' });
    const sliceOf = (range: { start: number; end: number }) =>
      Buffer.from(bytes.subarray(range.start, range.end)).toString();
    expect(Object.keys(inspection.members)).toEqual(['format', 'title']);
    expect(inspection.members.title && sliceOf(inspection.members.title)).toBe('"T"');
    expect(inspection.records).toMatchObject({ type: 'array', count: 2 });
    expect(sliceOf(inspection.records as { start: number; end: number })).toBe(
      '[{"id":1},{"id":2}]',
    );
  });

  it('fails with EXPORT_INVALID_JSON for a body that is not JSON', async () => {
    const error = await exportRejectionOf(() =>
      fixture.pool.inspectJson(Buffer.from('{"format": "csv", "data": ['), { recordsKey: 'data' }),
    );
    expect(error.code).toBe('EXPORT_INVALID_JSON');
  });

  it('refuses a record nested deeper than maxDepth (64 by default), naming its row', async () => {
    const text = `{"data":[{},{"a":${'['.repeat(64)}${']'.repeat(64)}}]}`;
    const error = await exportRejectionOf(() =>
      fixture.pool.inspectJson(Buffer.from(text), { recordsKey: 'data' }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1 });
    const inspection = await fixture.pool.inspectJson(Buffer.from(text), {
      recordsKey: 'data',
      maxDepth: 65,
    });
    expect(inspection.records).toMatchObject({ count: 2 });
  });
});

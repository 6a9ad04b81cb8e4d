import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExportAbortError } from '../errors.js';
import { pageAt, readPdf } from '../pdf/test-helpers/read-pdf.js';
import { runExport } from '../run-export.js';
import { exportErrorOf, exportRejectionOf } from '../test-helpers/export-error-of.js';
import { createExportPool, type ExportPool } from './create-export-pool.js';

let folder: string;
let pool: ExportPool;

beforeAll(() => {
  pool = createExportPool({ size: 2 });
});

afterAll(async () => {
  await pool.close();
});

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'export-pool-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function trades(count: number) {
  return Array.from({ length: count }, (_, id) => ({
    id,
    symbol: `SYM${id % 7}`,
    trader: 'Şükrü',
  }));
}

function ndjsonOf(records: readonly object[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

/** NDJSON in chunks of `size` bytes, cut anywhere, as an upload arrives. */
async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += size)
    yield bytes.subarray(start, start + size);
}

function collect(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

describe('pool.run', () => {
  it('writes the same CSV file from an NDJSON stream as runExport does in-process', async () => {
    const records = trades(5_000);
    const inProcess = await runExport({
      source: records,
      format: 'csv',
      destination: join(folder, 'in-process.csv'),
    });
    const pooled = await pool.run({
      source: { ndjson: chunksOf(ndjsonOf(records), 4096) },
      format: 'csv',
      destination: join(folder, 'pooled.csv'),
    });
    expect(pooled).toMatchObject({
      format: 'csv',
      rows: 5_000,
      bytes: inProcess.bytes,
      sha256: inProcess.sha256,
      path: join(folder, 'pooled.csv'),
    });
    expect(await readFile(join(folder, 'pooled.csv'))).toEqual(
      await readFile(join(folder, 'in-process.csv')),
    );
    expect((await readdir(folder)).sort()).toEqual(['in-process.csv', 'pooled.csv']);
  });

  it('streams a PDF made from records sent in batches into a Writable, and ends it', async () => {
    const output = collect();
    const result = await pool.run({
      source: { records: trades(1_200), batchSize: 100 },
      format: 'pdf',
      destination: output.stream,
      pdf: { title: 'Trades' },
    });
    const bytes = output.bytes();
    expect(output.stream.writableFinished).toBe(true);
    expect(result.rows).toBe(1_200);
    expect(result.bytes).toBe(bytes.length);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const firstPage = pageAt(await readPdf(bytes), 0).text;
    expect(firstPage).toContain('Trades');
    expect(firstPage).toContain('Şükrü');
  });

  it('reads a JSON array from a Buffer, and an NDJSON file, in the worker', async () => {
    const records = trades(300);
    const fromJson = await pool.run({
      source: { json: Buffer.from(JSON.stringify(records)) },
      format: 'csv',
      destination: join(folder, 'json.csv'),
    });
    const ndjsonPath = join(folder, 'input.ndjson');
    await import('node:fs/promises').then(({ writeFile }) =>
      writeFile(ndjsonPath, ndjsonOf(records)),
    );
    const fromFile = await pool.run({
      source: { ndjson: { file: ndjsonPath } },
      format: 'csv',
      destination: join(folder, 'file.csv'),
    });
    expect(fromJson.rows).toBe(300);
    expect(fromFile.sha256).toBe(fromJson.sha256);
  });

  it('reports progress from the worker, and the final count last', async () => {
    const seen: number[] = [];
    const result = await pool.run({
      source: { records: trades(20_000) },
      format: 'csv',
      destination: join(folder, 'progress.csv'),
      progressIntervalMs: 0,
      onProgress: ({ rows }) => seen.push(rows),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(result.rows);
  });
});

describe('pool.run failures', () => {
  it('names the line of a malformed NDJSON line, as fromNdjson does, and leaves no file', async () => {
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { ndjson: chunksOf('{"id":1}\n{"id":2}\n{"id":\n', 5) },
        format: 'csv',
        destination: join(folder, 'bad.csv'),
      }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', line: 3 });
    expect(error.message).toMatch(/^line 3 is not valid JSON/);
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a record nested deeper than 64 levels on the worker, or than source.maxDepth', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const runOf = (source: Parameters<ExportPool['run']>[0]['source']) =>
      exportRejectionOf(() =>
        pool.run({ source, format: 'csv', destination: join(folder, 'deep.csv') }),
      );
    const ndjson = `{"id":1}\n${deep(65)}\n`;
    expect(await runOf({ ndjson: Buffer.from(ndjson) })).toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      line: 2,
      message: 'line 2 is nested deeper than 64 levels (option `maxDepth`)',
    });
    expect(
      await runOf({ json: Buffer.from(`[{"id":1},{"a":${deep(2)}}]`), maxDepth: 2 }),
    ).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1 });
    expect(await readdir(folder)).toEqual([]);
    const result = await pool.run({
      source: { ndjson: Buffer.from(ndjson), maxDepth: 65 },
      format: 'csv',
      destination: join(folder, 'deep.csv'),
    });
    expect(result.rows).toBe(2);
    const error = await runOf({ ndjson: Buffer.from(ndjson), maxDepth: 0 });
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(/^option `source.maxDepth` must be an integer >= 1/);
  });

  it('names the record of a JSON array that is not an object', async () => {
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { json: Buffer.from('[{"id":1},2]') },
        format: 'csv',
        destination: join(folder, 'bad.csv'),
      }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1 });
  });

  it('fails with EXPORT_TOO_MANY_ROWS past maxRows, and leaves no file', async () => {
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { records: trades(1_000) },
        format: 'csv',
        maxRows: 999,
        destination: join(folder, 'many.csv'),
      }),
    );
    expect(error.code).toBe('EXPORT_TOO_MANY_ROWS');
    expect(await readdir(folder)).toEqual([]);
  });

  it('fails with EXPORT_SOURCE_FAILED when the caller’s source throws, keeping its error as the cause', async () => {
    const cause = new Error('cursor lost');
    async function* failing() {
      yield* trades(10);
      throw cause;
    }
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { records: failing() },
        format: 'csv',
        destination: join(folder, 'x.csv'),
      }),
    );
    expect(error.code).toBe('EXPORT_SOURCE_FAILED');
    expect(error.cause).toBe(cause);
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a column formatter, which cannot cross to a worker', async () => {
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { records: trades(1) },
        format: 'csv',
        columns: [{ key: 'id', format: String }],
        destination: join(folder, 'x.csv'),
      }),
    );
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toContain('columns[0].format');
  });

  it('refuses the options of the other format, naming them, before a worker runs', async () => {
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { records: trades(1) },
        format: 'pdf',
        csv: { profile: 'excel' },
        destination: join(folder, 'x.pdf'),
      } as never),
    );
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(/^option `csv` is for format "csv"/);
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a source of no known kind, naming the option', async () => {
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { rows: [] } as never,
        format: 'csv',
        destination: join(folder, 'x.csv'),
      }),
    );
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toContain('`source`');
  });
});

describe('pool.run aborts', () => {
  it('stops a running export when its signal aborts, and removes its temp file', async () => {
    const controller = new AbortController();
    const running = pool.run({
      source: { records: trades(2_000_000), batchSize: 1000 },
      format: 'csv',
      destination: join(folder, 'aborted.csv'),
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: ({ rows }) => {
        if (rows > 10_000) controller.abort(new Error('client gone'));
      },
    });
    const error = await exportRejectionOf(() => running);
    expect(error).toBeInstanceOf(ExportAbortError);
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(await readdir(folder)).toEqual([]);
  });

  it('destroys its Writable when an export to it is aborted', async () => {
    const controller = new AbortController();
    const output = new PassThrough();
    output.resume();
    const running = pool.run({
      source: { records: trades(2_000_000) },
      format: 'csv',
      destination: output,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: ({ rows }) => {
        if (rows > 10_000) controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ code: 'EXPORT_ABORTED' });
    expect(output.destroyed).toBe(true);
  });

  it('never starts an export whose signal is already aborted', async () => {
    const error = await exportRejectionOf(() =>
      pool.run({
        source: { records: trades(1) },
        format: 'csv',
        destination: join(folder, 'x.csv'),
        signal: AbortSignal.abort(),
      }),
    );
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('pool backpressure', () => {
  it('writes no faster than a slow destination takes bytes', async () => {
    const output = new PassThrough({ highWaterMark: 16 * 1024 });
    let rowsSeen = 0;
    const running = pool.run({
      source: { records: trades(200_000) },
      format: 'csv',
      destination: output,
      progressIntervalMs: 0,
      onProgress: ({ rows }) => {
        rowsSeen = rows;
      },
    });
    // Nobody reads yet: the export must stall long before its end.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rowsSeen).toBeLessThan(50_000);
    output.resume();
    await expect(running).resolves.toMatchObject({ rows: 200_000 });
  });
});

describe('pool.stats', () => {
  it('counts running exports and busy workers while they run, and none after', async () => {
    const output = new PassThrough({ highWaterMark: 1024 });
    const running = pool.run({
      source: { records: trades(100_000) },
      format: 'csv',
      destination: output,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pool.stats()).toMatchObject({ size: 2, busy: 1, running: 1, queued: 0 });
    output.resume();
    await running;
    expect(pool.stats()).toMatchObject({ size: 2, busy: 0, running: 0 });
  });
});

describe('pool.close', () => {
  it('refuses new exports once closed', async () => {
    const closing = createExportPool({ size: 1 });
    await closing.close();
    const error = await exportRejectionOf(() =>
      closing.run({ source: { records: [] }, format: 'csv', destination: join(folder, 'x.csv') }),
    );
    expect(error.code).toBe('EXPORT_POOL_CLOSED');
  });
});

describe('createExportPool options', () => {
  it.each([
    [{ size: 0 }, 'size'],
    [{ size: 1.5 }, 'size'],
    [{ maxHeapMb: 8 }, 'maxHeapMb'],
  ])('refuses %j naming the option', (options, name) => {
    const error = exportErrorOf(() => createExportPool(options));
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toContain(`\`${name}\``);
  });
});

describe('pool.close', () => {
  it('closes a pool created a moment ago, waiting for its workers to have loaded', async () => {
    // Terminating a worker while it still loads its modules can abort the process (a failed
    // V8 check): this test file would then fail as a whole, not just this test.
    for (let round = 0; round < 5; round += 1) {
      const pool = createExportPool({ size: 2 });
      await pool.close();
      expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
    }
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportError } from './errors.js';
import type { RunExportOptions } from './export-options.js';
import { readPdf } from './pdf/test-helpers/read-pdf.js';
import { runExport } from './run-export.js';
import { exportRejectionOf } from './test-helpers/export-error-of.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'run-export-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function* trades(count: number) {
  for (let id = 0; id < count; id += 1) yield { id, symbol: `SYM${id % 7}`, qty: id * 10 };
}

function rejection(options: RunExportOptions): Promise<ExportError> {
  return exportRejectionOf(() => runExport(options));
}

describe('runExport to a file', () => {
  it('writes the CSV and reports rows, bytes and the sha256 of the file', async () => {
    const path = join(folder, 'trades.csv');
    const result = await runExport({ source: trades(3), format: 'csv', destination: path });
    const written = await readFile(path);
    expect(written.toString()).toBe('id,symbol,qty\r\n0,SYM0,0\r\n1,SYM1,10\r\n2,SYM2,20\r\n');
    expect(result).toEqual({
      format: 'csv',
      rows: 3,
      bytes: written.length,
      sha256: createHash('sha256').update(written).digest('hex'),
      durationMs: expect.any(Number),
      path,
      droppedFields: { count: 0, names: [] },
      truncatedCells: { count: 0, columns: [] },
    });
  });

  it('leaves only the finished file in the folder', async () => {
    await runExport({ source: trades(10), format: 'csv', destination: join(folder, 'a.csv') });
    expect(await readdir(folder)).toEqual(['a.csv']);
  });

  it('passes csv options and columns through', async () => {
    const path = join(folder, 'trades.csv');
    await runExport({
      source: trades(1),
      format: 'csv',
      columns: ['symbol'],
      csv: { eol: '\n', bom: true },
      destination: path,
    });
    expect(await readFile(path, 'utf8')).toBe('\uFEFFsymbol\nSYM0\n');
  });

  it('reads records from an object-mode Readable and an async generator', async () => {
    const fromReadable = await runExport({
      source: Readable.from(trades(5)),
      format: 'csv',
      destination: join(folder, 'a.csv'),
    });
    async function* slowTrades() {
      for (const trade of trades(5)) {
        await new Promise((resolve) => setImmediate(resolve));
        yield trade;
      }
    }
    const fromGenerator = await runExport({
      source: slowTrades(),
      format: 'csv',
      destination: join(folder, 'b.csv'),
    });
    expect(fromGenerator.sha256).toBe(fromReadable.sha256);
  });
});

describe('runExport to a PDF file', () => {
  it('writes a readable table report with the pdf options, and reports its real bytes', async () => {
    const path = join(folder, 'trades.pdf');
    const result = await runExport({
      source: trades(120),
      format: 'pdf',
      destination: path,
      pdf: { title: 'Trades İstanbul', meta: ['User: alice'] },
    });
    const written = await readFile(path);
    expect(result).toMatchObject({ format: 'pdf', rows: 120, bytes: written.length, path });
    expect(result.sha256).toBe(createHash('sha256').update(written).digest('hex'));
    const report = await readPdf(written);
    const firstPage = report.pages[0]?.text ?? '';
    expect(firstPage).toContain('Trades İstanbul');
    expect(firstPage).toContain('User: alice');
    expect(report.pages.at(-1)?.text).toContain('120 rows');
  });

  it('leaves no file when a record is bad midway', async () => {
    const error = await rejection({
      source: [...trades(300), 'bad'],
      format: 'pdf',
      destination: join(folder, 'a.pdf'),
    });
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 300 });
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('runExport to a Writable', () => {
  it('writes every byte to it and ends it', async () => {
    const chunks: Buffer[] = [];
    let finished = false;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        finished = true;
        callback();
      },
    });
    const result = await runExport({ source: trades(2), format: 'csv', destination: sink });
    const written = Buffer.concat(chunks);
    expect(finished).toBe(true);
    expect(result.bytes).toBe(written.length);
    expect(result.sha256).toBe(createHash('sha256').update(written).digest('hex'));
    expect(result.path).toBeUndefined();
  });
});

describe('runExport failures', () => {
  it('rejects with EXPORT_SOURCE_FAILED when the source throws midway, and leaves no file', async () => {
    function* failing() {
      yield* trades(1_000);
      throw new Error('database connection lost');
    }
    const error = await rejection({
      source: failing(),
      format: 'csv',
      destination: join(folder, 'a.csv'),
    });
    expect(error.code).toBe('EXPORT_SOURCE_FAILED');
    expect(error.message).toContain('database connection lost');
    expect((error.cause as Error).message).toBe('database connection lost');
    expect(await readdir(folder)).toEqual([]);
  });

  it('rejects with EXPORT_INVALID_RECORD naming the row of a bad record, and leaves no file', async () => {
    const error = await rejection({
      source: [{ a: 1 }, { a: 2 }, 7],
      format: 'csv',
      destination: join(folder, 'a.csv'),
    });
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 2 });
    expect(await readdir(folder)).toEqual([]);
  });

  it('rejects with EXPORT_WRITE_FAILED when the destination fails, and leaves no file', async () => {
    let writes = 0;
    const failingSink = new Writable({
      write(_chunk, _encoding, callback) {
        writes += 1;
        callback(writes > 2 ? new Error('ENOSPC: no space left on device') : null);
      },
    });
    const error = await rejection({
      source: trades(100_000),
      format: 'csv',
      destination: failingSink,
    });
    expect(error.code).toBe('EXPORT_WRITE_FAILED');
    expect(error.message).toContain('ENOSPC');
  });

  it('rejects with EXPORT_WRITE_FAILED for a folder that does not exist', async () => {
    const error = await rejection({
      source: trades(1),
      format: 'csv',
      destination: join(folder, 'missing', 'a.csv'),
    });
    expect(error.code).toBe('EXPORT_WRITE_FAILED');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('rejects an unsupported format with EXPORT_UNSUPPORTED_FORMAT before touching the disk', async () => {
    const error = await rejection({
      source: trades(1),
      format: 'ods' as 'csv',
      destination: join(folder, 'a.ods'),
    });
    expect(error.code).toBe('EXPORT_UNSUPPORTED_FORMAT');
    expect(await readdir(folder)).toEqual([]);
  });

  it.each<[string, Partial<Extract<RunExportOptions, { format: 'csv' }>>, string]>([
    [
      'a missing destination',
      { destination: '' },
      'option `destination` must be a file path or a Writable, got ""',
    ],
    [
      'a source that is a string',
      { source: 'a,b' as unknown as [] },
      'option `source` must be an iterable',
    ],
    [
      'a signal that is not an AbortSignal',
      { signal: {} as AbortSignal },
      'option `signal` must be an AbortSignal, got an object',
    ],
    [
      'an onProgress that is not a function',
      { onProgress: 1 as unknown as () => void },
      'option `onProgress` must be a function, got 1',
    ],
  ])('rejects %s with EXPORT_INVALID_OPTION', async (_name, override, message) => {
    const error = await rejection({
      source: trades(1),
      format: 'csv',
      destination: join(folder, 'a.csv'),
      ...override,
    });
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toContain(message);
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('runExport with an AbortSignal', () => {
  it('stops promptly, removes the temp file and rejects with an AbortError', async () => {
    const controller = new AbortController();
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        if (pulled === 5_000) controller.abort();
        yield { id: pulled };
        if (pulled % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const error = await rejection({
      source: endless(),
      format: 'csv',
      destination: join(folder, 'a.csv'),
      signal: controller.signal,
    });
    expect(error.name).toBe('AbortError');
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(pulled).toBeLessThan(6_000);
    expect(await readdir(folder)).toEqual([]);
  });

  // Node 22 and later wait, destroying the stream, for the generator's return(), which waits for
  // its pending next(): the source of an upload whose client stopped sending.
  it('stops at once when aborted while its source waits for a record that never comes', async () => {
    const controller = new AbortController();
    async function* stalled() {
      yield { id: 1 };
      setTimeout(() => controller.abort(), 20);
      await new Promise(() => {});
    }
    const started = performance.now();
    const error = await rejection({
      source: stalled(),
      format: 'csv',
      destination: join(folder, 'a.csv'),
      signal: controller.signal,
    });
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await readdir(folder)).toEqual([]);
  });

  it('rejects at once for a signal that is already aborted', async () => {
    const error = await rejection({
      source: trades(1),
      format: 'csv',
      destination: join(folder, 'a.csv'),
      signal: AbortSignal.abort(),
    });
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('runExport progress', () => {
  it('reports rows and bytes while running, throttled, and the totals at the end', async () => {
    const reports: Array<{ rows: number; bytes: number }> = [];
    async function* slowTrades() {
      for (const trade of trades(50)) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        yield trade;
      }
    }
    const result = await runExport({
      source: slowTrades(),
      format: 'csv',
      destination: join(folder, 'a.csv'),
      onProgress: (progress) => reports.push(progress),
      progressIntervalMs: 20,
    });
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.length).toBeLessThan(50);
    expect(reports.at(-1)).toEqual({ rows: result.rows, bytes: result.bytes });
    const bytesSeen = reports.map((report) => report.bytes);
    expect(bytesSeen).toEqual([...bytesSeen].sort((a, b) => a - b));
  });
});

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExportError } from '../errors.js';
import { exportErrorOf, exportRejectionOf } from '../test-helpers/export-error-of.js';
import { bundledFontPaths } from './bundled-fonts.js';
import { createPdfStream } from './create-pdf-stream.js';
import type { PdfStreamOptions } from './normalize-pdf-options.js';
import { numberedRecords, renderPdf } from './test-helpers/render-pdf.js';

function renderError(records: Iterable<unknown>, options?: PdfStreamOptions) {
  return exportRejectionOf(() => renderPdf(records, options));
}

function creationError(options: unknown): ExportError {
  return exportErrorOf(() => createPdfStream(options as PdfStreamOptions));
}

/** Resolves on 'close', whatever came before it (`events.once` would reject on 'error'). */
function closed(stream: Duplex): Promise<void> {
  return new Promise((resolve) => stream.on('close', resolve));
}

/** Records what the stream emits, and in which order, from now on. */
function watch(stream: Duplex) {
  const events: string[] = [];
  stream.on('data', () => events.push('data'));
  stream.on('end', () => events.push('end'));
  stream.on('error', () => events.push('error'));
  stream.on('close', () => events.push('close'));
  return events;
}

describe('createPdfStream: bad records', () => {
  it('fails with EXPORT_INVALID_RECORD naming the row of a record that is not an object', async () => {
    const records = [...numberedRecords(150), 42];
    const error = await renderError(records);
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 150 });
    expect(error.message).toBe('record 150 must be an object or an array, got 42');
  });

  it('fails at once for a bad record among the first, still buffered, records', async () => {
    const stream = createPdfStream();
    const failed = new Promise((resolve) => stream.on('error', resolve));
    stream.write({ id: 1 });
    stream.write({ id: 2 });
    stream.write('three');
    // No end(): the error does not wait for the sample of 100 records to fill up.
    expect(await failed).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 2 });
  });

  it('fails with EXPORT_INVALID_RECORD for a value that has no text, naming row and column', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const records = [...numberedRecords(200), { id: 201, name: circular, amount: 1 }];
    const error = await renderError(records);
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 200 });
    expect(error.message).toMatch(/^record 200 has a value in column `name`/);
  });

  it('emits nothing after its first error: no more data, no end', async () => {
    const stream = createPdfStream();
    const events = watch(stream);
    for (const record of numberedRecords(300)) stream.write(record);
    stream.write('not a record');
    stream.write({ id: 302 });
    stream.end();
    await closed(stream);
    const afterError = events.slice(events.indexOf('error'));
    expect(afterError).toEqual(['error', 'close']);
  });
});

describe('createPdfStream: no columns', () => {
  it('fails with EXPORT_NO_COLUMNS when the first record has no fields to take them from', async () => {
    const error = await renderError([{}]);
    expect(error.code).toBe('EXPORT_NO_COLUMNS');
  });
});

describe('createPdfStream: bad options', () => {
  it('throws EXPORT_INVALID_OPTION when created, before any record', () => {
    const error = creationError({ pageSize: 'A3' });
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toBe('option `pdf.pageSize` must be one of A4, Letter, got "A3"');
  });

  it('throws EXPORT_INVALID_OPTION naming pdf.font for a file that only looks like a font', () => {
    const directory = mkdtempSync(join(tmpdir(), 'export-core-font-'));
    try {
      const path = join(directory, 'broken.ttf');
      // A TrueType signature followed by garbage: it passes the option check, not fontkit.
      writeFileSync(path, Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.alloc(64, 7)]));
      const error = creationError({ font: path });
      expect(error.code).toBe('EXPORT_INVALID_OPTION');
      expect(error.message).toMatch(/^option `pdf\.font` must be a TrueType or OpenType font/);
      expect(error.cause).toBeInstanceOf(Error);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('writes with another TrueType font given by path', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'export-core-font-'));
    try {
      const path = join(directory, 'Condensed.ttf');
      copyFileSync(
        bundledFontPaths.regular.replace('DejaVuSans.ttf', 'DejaVuSansCondensed.ttf'),
        path,
      );
      const pdf = await renderPdf(numberedRecords(3), { font: path });
      expect(pdf.includes('DejaVuSansCondensed')).toBe(true);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('createPdfStream: destroy', () => {
  it('can be destroyed mid-way without an error or a throw', async () => {
    const stream = createPdfStream();
    const events = watch(stream);
    for (const record of numberedRecords(500)) stream.write(record);
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => stream.destroy()).not.toThrow();
    await closed(stream);
    expect(events).not.toContain('error');
    expect(events).not.toContain('end');
  });

  it('passes the error given to destroy on, once', async () => {
    const stream = createPdfStream();
    const errors: unknown[] = [];
    stream.on('error', (error) => errors.push(error));
    stream.write({ id: 1 });
    const cause = new Error('client went away');
    stream.destroy(cause);
    await closed(stream);
    expect(errors).toEqual([cause]);
  });

  it('can be destroyed while a write waits for the reader', async () => {
    const stream = createPdfStream();
    const events = watch(stream);
    stream.pause();
    let accepted = 0;
    for (const record of numberedRecords(5000)) {
      accepted += 1;
      if (!stream.write(record)) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    stream.destroy();
    await closed(stream);
    expect(accepted).toBeLessThan(5000);
    expect(events).not.toContain('error');
  });
});

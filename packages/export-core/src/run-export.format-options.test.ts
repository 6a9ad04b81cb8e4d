import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunExportOptions } from './export-options.js';
import { runExport } from './run-export.js';
import { exportRejectionOf } from './test-helpers/export-error-of.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'run-export-format-options-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const records = [{ id: 1 }];

/** Options as a caller without types may pass them: checked at run time only. */
function untyped(options: Record<string, unknown>): RunExportOptions {
  return {
    source: records,
    destination: join(folder, 'out'),
    ...options,
  } as unknown as RunExportOptions;
}

describe('runExport: the options of the other format', () => {
  it('refuses pdf options for a CSV with EXPORT_INVALID_OPTION naming `pdf`, before touching the disk', async () => {
    const error = await exportRejectionOf(() =>
      runExport(untyped({ format: 'csv', pdf: { title: 'Trades' } })),
    );
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toBe(
      'option `pdf` is for format "pdf", and this export\'s format is "csv"; pass `csv` options or none',
    );
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses csv options for a PDF with EXPORT_INVALID_OPTION naming `csv`', async () => {
    const error = await exportRejectionOf(() =>
      runExport(untyped({ format: 'pdf', csv: { profile: 'excel' } })),
    );
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(
      /^option `csv` is for format "csv", and this export's format is "pdf"/,
    );
  });

  it('refuses them even when they are empty: they would be ignored', async () => {
    const error = await exportRejectionOf(() => runExport(untyped({ format: 'csv', pdf: {} })));
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(/^option `pdf` is for format "pdf"/);
  });

  it('takes an undefined option of the other format as absent', async () => {
    const path = join(folder, 'out.csv');
    await runExport(untyped({ format: 'csv', pdf: undefined, destination: path }));
    expect(await readFile(path, 'utf8')).toBe('id\r\n1\r\n');
  });

  it.each([
    ['a number', 5, 'got 5'],
    ['null', null, 'got null'],
    ['an array', [], 'got an array'],
  ])('refuses format options that are %s, which would be ignored', async (_name, csv, got) => {
    const error = await exportRejectionOf(() => runExport(untyped({ format: 'csv', csv })));
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(/^option `csv` must be an object, got /);
    expect(error.message).toContain(got);
  });
});

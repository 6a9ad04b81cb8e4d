import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spoolRecords } from '../src/jobs/spool-records.js';
import { ndjsonOf, sampleRows, trades } from './job-helpers.js';

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'spool-'));
  folders.push(folder);
  return folder;
}

async function* fromArray(records: readonly unknown[], onClose = () => {}) {
  try {
    yield* records;
  } finally {
    onClose();
  }
}

describe('spoolRecords', () => {
  it('writes each record as one NDJSON line and counts the rows and bytes', async () => {
    const path = join(tempFolder(), 'input.ndjson');
    const result = await spoolRecords(trades, path, { maxRows: 10 });
    const written = await readFile(path, 'utf8');
    expect(written).toBe(ndjsonOf(trades));
    expect(result).toEqual({ rows: 2, bytes: Buffer.byteLength(written), firstRecord: trades[0] });
  });

  it('reads an async source, and arrays as records', async () => {
    const path = join(tempFolder(), 'input.ndjson');
    const result = await spoolRecords(fromArray([[1, 'ACME'], { id: 'İ' }]), path, { maxRows: 10 });
    expect(await readFile(path, 'utf8')).toBe('[1,"ACME"]\n{"id":"İ"}\n');
    expect(result).toMatchObject({ rows: 2, bytes: 23, firstRecord: [1, 'ACME'] });
  });

  it('writes a source of many batches whole, in order', async () => {
    const path = join(tempFolder(), 'input.ndjson');
    const rows = sampleRows(20_000);
    const result = await spoolRecords(rows, path, { maxRows: 20_000 });
    const written = await readFile(path, 'utf8');
    expect(written).toBe(ndjsonOf(rows));
    expect(result.bytes).toBe(Buffer.byteLength(written));
  });

  it('writes an empty file for no records', async () => {
    const path = join(tempFolder(), 'input.ndjson');
    expect(await spoolRecords([], path, { maxRows: 1 })).toEqual({
      rows: 0,
      bytes: 0,
      firstRecord: undefined,
    });
    expect(await readFile(path, 'utf8')).toBe('');
  });

  it('makes the file readable by its owner only', async () => {
    const path = join(tempFolder(), 'input.ndjson');
    await spoolRecords(trades, path, { maxRows: 10 });
    expect((await stat(path)).mode & 0o077).toBe(0);
  });

  it('fails with EXECUTOR_TOO_MANY_ROWS past maxRows, removes the file and stops reading the source', async () => {
    const folder = tempFolder();
    let sourceClosed = false;
    const source = fromArray(trades, () => {
      sourceClosed = true;
    });
    await expect(
      spoolRecords(source, join(folder, 'input.ndjson'), { maxRows: 1 }),
    ).rejects.toMatchObject({
      code: 'EXECUTOR_TOO_MANY_ROWS',
      statusCode: 413,
    });
    expect(sourceClosed).toBe(true);
    expect(await readdir(folder)).toEqual([]);
  });

  it('takes exactly maxRows records', async () => {
    const path = join(tempFolder(), 'input.ndjson');
    expect((await spoolRecords(trades, path, { maxRows: 2 })).rows).toBe(2);
  });

  it.each([
    [42, 'number'],
    [null, 'null'],
    ['text', 'string'],
  ])(
    'fails with EXECUTOR_INVALID_REQUEST naming the record for %j, and removes the file',
    async (record, type) => {
      const folder = tempFolder();
      await expect(
        spoolRecords([{ id: 1 }, record], join(folder, 'input.ndjson'), { maxRows: 10 }),
      ).rejects.toMatchObject({
        code: 'EXECUTOR_INVALID_REQUEST',
        message: `record 2 must be a JSON object or an array, got ${type}`,
      });
      expect(await readdir(folder)).toEqual([]);
    },
  );

  it("passes on the source's own error and removes the file", async () => {
    const folder = tempFolder();
    const failure = Object.assign(new Error('line 2 is not valid JSON'), {
      code: 'EXPORT_INVALID_RECORD',
    });
    async function* failing() {
      yield { id: 1 };
      throw failure;
    }
    await expect(
      spoolRecords(failing(), join(folder, 'input.ndjson'), { maxRows: 10 }),
    ).rejects.toBe(failure);
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses to write over a file that is already there, and leaves that file be', async () => {
    const path = join(tempFolder(), 'input.ndjson');
    await writeFile(path, 'kept\n');
    await expect(spoolRecords(trades, path, { maxRows: 10 })).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(await readFile(path, 'utf8')).toBe('kept\n');
  });

  it('fails when the folder is missing, leaving nothing behind', async () => {
    const folder = tempFolder();
    await expect(
      spoolRecords(trades, join(folder, 'gone', 'input.ndjson'), { maxRows: 10 }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(folder)).toEqual([]);
  });
});

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { InvalidRequestError, TooManyRowsError } from '../errors.js';

export interface SpoolOptions {
  /** More records than this fail with EXECUTOR_TOO_MANY_ROWS, before the job is accepted. */
  maxRows: number;
}

export interface SpoolResult {
  rows: number;
  bytes: number;
  /** For the column keys when the client named none. */
  firstRecord: unknown;
}

// Lines are gathered into writes of about this size; a write per record would cost a syscall each.
const batchBytes = 64 * 1024;

/**
 * Writes the records to `path` as NDJSON, one per line, at the pace the disk takes them, and
 * fsyncs the file: a job's input must outlive a crash once the job is accepted. On any failure
 * the file is removed and the error (with the record number, for a bad record) is thrown.
 */
export async function spoolRecords(
  records: Iterable<unknown> | AsyncIterable<unknown>,
  path: string,
  { maxRows }: SpoolOptions,
): Promise<SpoolResult> {
  const output = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  let rows = 0;
  let bytes = 0;
  let firstRecord: unknown;
  let created = false;
  try {
    await once(output, 'open');
    created = true;
    let batch = '';
    for await (const record of records) {
      rows += 1;
      if (rows > maxRows) throw new TooManyRowsError(maxRows);
      if (typeof record !== 'object' || record === null) {
        throw new InvalidRequestError(
          `record ${rows} must be a JSON object or an array, got ${record === null ? 'null' : typeof record}`,
        );
      }
      if (rows === 1) firstRecord = record;
      batch += `${recordLine(record, rows)}\n`;
      if (batch.length >= batchBytes) {
        bytes += Buffer.byteLength(batch);
        if (!output.write(batch)) await once(output, 'drain');
        batch = '';
      }
    }
    bytes += Buffer.byteLength(batch);
    output.end(batch);
    await finished(output);
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { rows, bytes, firstRecord };
  } catch (error) {
    output.destroy();
    // Only a file this call created: a failed `wx` open means the file is someone else's.
    if (created) await unlink(path).catch(() => {});
    throw error;
  }
}

/** One record as a JSON line; a record JSON cannot write (nested too deep) is the client's 400. */
function recordLine(record: object, rows: number): string {
  try {
    return JSON.stringify(record);
  } catch (error) {
    throw Object.assign(
      new InvalidRequestError(
        `record ${rows} cannot be stored as JSON: ${(error as Error).message}`,
      ),
      { cause: error },
    );
  }
}

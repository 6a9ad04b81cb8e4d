import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { threadId } from 'node:worker_threads';
import { KeyUnion } from '../columns/key-union.js';
import { describeValue } from '../describe-value.js';
import { ExportAbortError, ExportError } from '../errors.js';
import { jsonText } from '../values/json-text.js';
import type { ControlMessage, ControlRequest, SpoolOutcome, SpoolTask } from './export-task.js';
import { recordsOf } from './run-export-task.js';
import { serializeError } from './serialize-error.js';
import { untilAborted } from './until-aborted.js';

// Lines are gathered into writes of about this size; a write per record would cost a syscall each.
const batchBytes = 64 * 1024;

/**
 * Writes the task's records to its destination as NDJSON, one per line, at the pace the disk
 * takes them, and fsyncs the file: what a queue accepts must outlive a crash. On any failure or
 * abort the file is removed.
 */
export async function spoolRecordsTask(task: SpoolTask): Promise<SpoolOutcome> {
  const { control, destination } = task;
  const abort = new AbortController();
  control.on('message', (request: ControlRequest) => {
    if (request.type === 'abort') abort.abort();
  });
  control.postMessage({ type: 'started', threadId } satisfies ControlMessage);
  const maxRows = task.maxRows ?? Number.POSITIVE_INFINITY;
  const output = createWriteStream(destination, { flags: 'wx', mode: 0o600 });
  let created = false;
  try {
    await once(output, 'open');
    created = true;
    let rows = 0;
    let bytes = 0;
    let firstLine: string | undefined;
    const keys = new KeyUnion();
    let batch = '';
    for await (const record of sourceErrorsCoded(untilAborted(recordsOf(task), abort.signal))) {
      if (rows >= maxRows) {
        throw new ExportError(
          'EXPORT_TOO_MANY_ROWS',
          `the source has more than ${maxRows} records (option \`maxRows\`)`,
          { row: rows },
        );
      }
      if (typeof record !== 'object' || record === null) {
        throw new ExportError(
          'EXPORT_INVALID_RECORD',
          `record ${rows} must be a JSON object or array, got ${describeValue(record)}`,
          { row: rows },
        );
      }
      keys.add(record, rows);
      const line = recordLine(record, rows);
      if (rows === 0) firstLine = line;
      batch += `${line}\n`;
      rows += 1;
      if (batch.length >= batchBytes) {
        bytes += Buffer.byteLength(batch);
        if (!output.write(batch)) await once(output, 'drain');
        batch = '';
      }
    }
    if (abort.signal.aborted) throw new ExportAbortError();
    bytes += Buffer.byteLength(batch);
    output.end(batch);
    await finished(output);
    const handle = await open(destination, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { ok: true, result: { rows, bytes, firstLine, keys: keys.keys } };
  } catch (error) {
    output.destroy();
    // Only a file this task created: a failed `wx` open means the file is someone else's.
    if (created) await unlink(destination).catch(() => {});
    const coded =
      error instanceof ExportError
        ? error
        : new ExportError(
            'EXPORT_WRITE_FAILED',
            `writing the spool file failed: ${(error as Error)?.message ?? describeValue(error)}`,
            { cause: error },
          );
    return { ok: false, error: serializeError(coded) };
  } finally {
    control.close();
  }
}

/**
 * A record as exact JSON (big integers, `100.10`, key order as parsed), so the export later reads
 * back what came in. One JSON cannot write (nested too deep) is the caller's error, not the disk's.
 */
function recordLine(record: object, row: number): string {
  try {
    return jsonText(record);
  } catch (error) {
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `record ${row} cannot be stored as JSON: ${(error as Error).message}`,
      { row, cause: error },
    );
  }
}

/** The source's own failures (a file that cannot be read, a sender that failed), coded as such. */
async function* sourceErrorsCoded(records: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  try {
    yield* records;
  } catch (error) {
    if (error instanceof ExportError) throw error;
    throw new ExportError(
      'EXPORT_SOURCE_FAILED',
      `the source failed: ${(error as Error)?.message ?? describeValue(error)}`,
    );
  }
}

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import {
  assertPdfTableCanFit,
  assertXlsxColumnCount,
  ExportError,
  type ExportPool,
  normalizeColumns,
  type SpoolResult,
} from '@org/export-core';
import { TooManyRowsError, WorkerOutOfMemoryError } from '../errors.js';
import { type JobFiles, keepInput, removeJobFiles } from './job-files.js';
import type { JobSubmission } from './job-queue.js';
import { type JobRecord, queuedJobRecord } from './job-record.js';

export interface SpoolSubmissionOptions {
  files: JobFiles;
  /** Parses, checks and writes the records on a worker thread. */
  pool: ExportPool;
  /** More records fail with EXECUTOR_TOO_MANY_ROWS. */
  maxRows: number;
  isoNow: () => string;
}

/**
 * A submission's records spooled into a new job folder as NDJSON (then kept in the store), and the
 * record of the job as it would be accepted; not yet saved or admitted anywhere. On any failure
 * (bad records, bad columns, too many rows, a full disk, the store down) nothing is kept and the
 * error is thrown.
 */
export async function spoolSubmission(
  { format, options, owner, input, callbackUrl }: JobSubmission,
  { files, pool, maxRows, isoNow }: SpoolSubmissionOptions,
): Promise<JobRecord> {
  // A PDF whose columns cannot fit the page whatever they hold is refused as a 400: before its
  // upload is spooled when the columns are named, once they are known otherwise.
  if (format === 'pdf' && options.columns !== undefined) assertPdfTableCanFit(options.columns);
  const id = randomUUID();
  await mkdir(files.folder(id), { recursive: true });
  try {
    const spooled = await pool
      .spool({ source: input, destination: files.input(id), maxRows })
      .catch((error: { code?: unknown }) => {
        if (error.code === 'EXPORT_TOO_MANY_ROWS') {
          throw Object.assign(new TooManyRowsError(maxRows), { cause: error });
        }
        if (error.code === 'EXPORT_WORKER_OUT_OF_MEMORY') {
          throw new WorkerOutOfMemoryError(pool.options.maxHeapMb);
        }
        throw error;
      });
    // Bad columns fail here, as a 400 to the submitter, not later as a failed job. Without
    // columns, the job's are every field of its records: none is dropped.
    const columns = normalizeColumns(
      options.columns ?? (spooled.keys.length > 0 ? spooled.keys : undefined),
      spooled.firstRecord,
    ).map((column) => column.key);
    if (options.unknownFields === 'error') refuseUnknownFields(spooled, columns);
    if (format === 'pdf' && options.columns === undefined) assertPdfTableCanFit(columns);
    // A sheet holds 16,384 columns: a 400 now, not a job that fails once it runs.
    if (format === 'xlsx') assertXlsxColumnCount(columns.length);
    // Where any replica can read it (the cluster's store), before the job can be admitted.
    await keepInput(files, id);
    return queuedJobRecord({
      id,
      owner,
      format,
      options,
      columns,
      totalRows: spooled.rows,
      createdAt: isoNow(),
      callbackUrl: callbackUrl ?? null,
    });
  } catch (error) {
    await removeJobFiles(files, id).catch(() => {});
    throw error;
  }
}

/**
 * `unknownFields: 'error'` refuses the submission, as a 400, when a field has no column: the
 * whole input is known here, so the job is never accepted only to fail later.
 */
function refuseUnknownFields(spooled: SpoolResult, columns: readonly string[]): void {
  // Array records' fields are their positions: one past the columns has none.
  const unknown = Array.isArray(spooled.firstRecord)
    ? spooled.keys.slice(columns.length)
    : spooled.keys.filter((key) => !columns.includes(key));
  if (unknown.length === 0) return;
  throw new ExportError(
    'EXPORT_UNKNOWN_FIELD',
    `the records have the field ${JSON.stringify(unknown[0])}, which is not a column (option \`unknownFields\` is "error"; add it to \`columns\` or use "report")`,
  );
}

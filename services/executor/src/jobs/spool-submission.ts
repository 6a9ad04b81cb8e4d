import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { type ExportPool, normalizeColumns } from '@org/export-core';
import { TooManyRowsError, WorkerOutOfMemoryError } from '../errors.js';
import type { JobFiles } from './job-files.js';
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
 * A submission's records spooled into a new job folder as NDJSON, and the record of the job as it would
 * be accepted; not yet saved or admitted anywhere. On any failure (bad records, bad columns, too
 * many rows, a full disk) the folder is gone and the error is thrown.
 */
export async function spoolSubmission(
  { format, options, owner, records }: JobSubmission,
  { files, pool, maxRows, isoNow }: SpoolSubmissionOptions,
): Promise<JobRecord> {
  const id = randomUUID();
  await mkdir(files.folder(id), { recursive: true });
  try {
    const spooled = await pool
      .spool({ source: records, destination: files.input(id), maxRows })
      .catch((error: { code?: unknown }) => {
        if (error.code === 'EXPORT_TOO_MANY_ROWS') {
          throw Object.assign(new TooManyRowsError(maxRows), { cause: error });
        }
        if (error.code === 'EXPORT_WORKER_OUT_OF_MEMORY') {
          throw new WorkerOutOfMemoryError(pool.options.maxHeapMb);
        }
        throw error;
      });
    // Bad columns fail here, as a 400 to the submitter, not later as a failed job.
    const columns = normalizeColumns(options.columns, spooled.firstRecord).map(
      (column) => column.key,
    );
    return queuedJobRecord({
      id,
      owner,
      format,
      options,
      columns,
      totalRows: spooled.rows,
      createdAt: isoNow(),
    });
  } catch (error) {
    await rm(files.folder(id), { recursive: true, force: true });
    throw error;
  }
}

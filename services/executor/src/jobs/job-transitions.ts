import type { ExportResult } from '@org/export-core';
import type { JobError, JobLosses, JobManifest, JobRecord } from './job-record.js';

/**
 * Every change a job's record goes through, as the fields that change: each backend saves them,
 * none writes them itself.
 */
export type JobChange = Partial<JobRecord>;

export function startedChange(startedAt: string): JobChange {
  return { status: 'running', startedAt };
}

/** Stopped by a shutdown: queued again, to run from the start. */
export function requeuedChange(): JobChange {
  return { status: 'queued', startedAt: null };
}

/** What a finished job's file could not hold, as its record and manifest keep it. */
export function lossesOf(result: ExportResult): Required<JobLosses> {
  return { droppedFields: result.droppedFields, truncatedCells: result.truncatedCells };
}

export function doneChange(
  file: Pick<JobManifest, 'rows' | 'bytes' | 'sha256' | 'finishedAt'> & JobLosses,
): JobChange {
  const { rows, bytes, sha256, finishedAt, droppedFields, truncatedCells } = file;
  const change: JobChange = { status: 'done', rows, bytes, sha256, finishedAt, error: null };
  // A manifest written before losses were counted has none to tell.
  if (droppedFields !== undefined) change.droppedFields = droppedFields;
  if (truncatedCells !== undefined) change.truncatedCells = truncatedCells;
  return change;
}

/** Failed (with its error) or cancelled: no file, whatever a run had written. */
export function endedChange(
  status: 'failed' | 'cancelled',
  finishedAt: string,
  error: JobError | null,
): JobChange {
  return {
    status,
    finishedAt,
    rows: null,
    bytes: null,
    sha256: null,
    error: status === 'failed' ? error : null,
  };
}

/** The finished file's description, written beside it before the record says done. */
export function manifestOf(
  record: JobRecord,
  result: ExportResult,
  finishedAt: string,
): JobManifest {
  return {
    id: record.id,
    format: record.format,
    rows: result.rows,
    bytes: result.bytes,
    sha256: result.sha256,
    columns: record.columns,
    owner: record.owner,
    createdAt: record.createdAt,
    finishedAt,
    ...lossesOf(result),
  };
}

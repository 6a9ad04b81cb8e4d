import type {
  ColumnsOption,
  CsvProfile,
  DroppedFields,
  ExportFormat,
  TruncatedCells,
  UnknownFieldPolicy,
} from '@org/export-core';

export const jobStatuses = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** Statuses a job never leaves: retention may sweep them, a restart leaves them be. */
export const finishedJobStatuses: ReadonlySet<JobStatus> = new Set(['done', 'failed', 'cancelled']);

/** How to export, as the client asked; kept with the job so a restart runs it the same way. */
export interface JobExportOptions {
  columns?: ColumnsOption | undefined;
  title?: string | undefined;
  csvProfile?: CsvProfile | undefined;
  /** The body's `user`, printed on the PDF when no token names the user. */
  user?: string | undefined;
  timeZone?: string | undefined;
  nullText?: string | undefined;
  unknownFields?: UnknownFieldPolicy | undefined;
}

/** What the finished file could not hold; absent from jobs finished before it was counted. */
export interface JobLosses {
  droppedFields?: DroppedFields | null | undefined;
  truncatedCells?: TruncatedCells | null | undefined;
}

export interface JobError {
  code: string;
  message: string;
}

/** What is stored for a job. Times are ISO 8601 strings; absent facts are null. */
export interface JobRecord extends JobLosses {
  id: string;
  /** The user of the token that created it; null when auth is off. */
  owner: string | null;
  status: JobStatus;
  format: ExportFormat;
  options: JobExportOptions;
  /**
   * The column keys exported: given, or every record's keys in the order first seen (positions,
   * for arrays). Jobs accepted before that took the first record's keys.
   */
  columns: string[];
  /** Records in the spooled input. */
  totalRows: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Facts of the finished file. */
  rows: number | null;
  bytes: number | null;
  sha256: string | null;
  error: JobError | null;
  /** Where its end is POSTed (a webhook); absent or null for none. */
  callbackUrl?: string | null | undefined;
}

/** The finished file's description, stored beside it. */
export interface JobManifest extends JobLosses {
  id: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
  sha256: string;
  columns: string[];
  owner: string | null;
  createdAt: string;
  finishedAt: string;
}

/** A job as accepted: queued, with nothing known yet of its run. */
export function queuedJobRecord(
  accepted: Pick<
    JobRecord,
    'id' | 'owner' | 'format' | 'options' | 'columns' | 'totalRows' | 'createdAt' | 'callbackUrl'
  >,
): JobRecord {
  return {
    ...accepted,
    status: 'queued',
    startedAt: null,
    finishedAt: null,
    rows: null,
    bytes: null,
    sha256: null,
    error: null,
  };
}

/** Zero jobs in every status, for counting. */
export function emptyJobCounts(): Record<JobStatus, number> {
  return Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<JobStatus, number>;
}

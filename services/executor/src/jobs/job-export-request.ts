import type { FastifyBaseLogger } from 'fastify';
import type { ExportRequest } from '../exports/execute-export.js';
import { destinationOf, inputSourceOf, type JobFiles } from './job-files.js';
import type { JobRecord } from './job-record.js';

export interface JobExportSettings {
  files: JobFiles;
  log: FastifyBaseLogger;
  /** Longest line accepted when the spooled input is read back. */
  maxLineBytes: number;
}

/**
 * How a job's export runs, from its record, on any backend: its spooled input to its file, with
 * the options it was submitted with and the columns settled when it was accepted (so every field
 * of its input has a column).
 */
export function jobExportRequest(
  record: JobRecord,
  { files, log, maxLineBytes }: JobExportSettings,
): Omit<ExportRequest, 'signal'> {
  const { options } = record;
  return {
    id: record.id,
    log,
    format: record.format,
    source: { ndjson: inputSourceOf(files, record.id), maxLineBytes },
    columns: options.columns ?? record.columns,
    title: options.title,
    csvProfile: options.csvProfile,
    values: {
      timeZone: options.timeZone,
      nullText: options.nullText,
      unknownFields: options.unknownFields,
    },
    user: jobUserOf(record),
    destination: destinationOf(files, record),
  };
}

/** Whose export it is: the limiter's key and the PDF's "User:" line. */
export function jobUserOf(record: Pick<JobRecord, 'owner' | 'options'>): string | undefined {
  return record.owner ?? record.options.user;
}

import type { ExportResult } from '@org/export-core';
import type { ExportRequest } from '../exports/execute-export.js';
import type { JobLosses, JobRecord } from './job-record.js';

/**
 * How a job's export runs, from its record: the options it was submitted with, and the columns
 * settled when it was accepted, so that every field of its input has a column.
 */
export function jobExportOptions(
  record: JobRecord,
): Pick<ExportRequest, 'columns' | 'title' | 'csvProfile' | 'values'> {
  const { options } = record;
  return {
    columns: options.columns ?? record.columns,
    title: options.title,
    csvProfile: options.csvProfile,
    values: {
      timeZone: options.timeZone,
      nullText: options.nullText,
      unknownFields: options.unknownFields,
    },
  };
}

/** What a finished job's file could not hold, as its record and manifest keep it. */
export function jobLossesOf(result: ExportResult): Required<JobLosses> {
  return { droppedFields: result.droppedFields, truncatedCells: result.truncatedCells };
}

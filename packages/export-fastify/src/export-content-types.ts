import type { ExportFormat } from '@org/export-core';

/** The Content-Type of each export format's file. */
export const exportContentTypes: Readonly<Record<ExportFormat, string>> = Object.freeze({
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
});

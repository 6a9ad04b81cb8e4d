import { describeValue } from './describe-value.js';
import { ExportError } from './errors.js';

export const exportFormats = ['csv', 'pdf', 'xlsx'] as const;

export type ExportFormat = (typeof exportFormats)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return exportFormats.includes(value as ExportFormat);
}

export function assertExportFormat(value: unknown): ExportFormat {
  if (isExportFormat(value)) return value;
  throw new ExportError(
    'EXPORT_UNSUPPORTED_FORMAT',
    `option \`format\` must be one of ${exportFormats.join(', ')}, got ${describeValue(value)}`,
  );
}

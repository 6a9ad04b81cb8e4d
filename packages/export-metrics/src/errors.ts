/** Every code an `ExportMetricsError` can carry; documented in the package README. */
export const exportMetricsErrorCodes = ['EXPORT_METRICS_INVALID_OPTION'] as const;

export type ExportMetricsErrorCode = (typeof exportMetricsErrorCodes)[number];

export class ExportMetricsError extends Error {
  override readonly name = 'ExportMetricsError';
  readonly code: ExportMetricsErrorCode;

  constructor(code: ExportMetricsErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

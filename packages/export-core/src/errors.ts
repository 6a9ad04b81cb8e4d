/** Every code an `ExportError` can carry; documented in the package README. */
export const exportErrorCodes = [
  'EXPORT_UNSUPPORTED_FORMAT',
  'EXPORT_INVALID_OPTION',
  'EXPORT_NO_COLUMNS',
  'EXPORT_INVALID_RECORD',
] as const;

export type ExportErrorCode = (typeof exportErrorCodes)[number];

export interface ExportErrorOptions {
  cause?: unknown;
}

export class ExportError extends Error {
  override readonly name = 'ExportError';
  readonly code: ExportErrorCode;

  constructor(code: ExportErrorCode, message: string, options: ExportErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }
}

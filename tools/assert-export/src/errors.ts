/** Every code an `AssertExportError` can carry; docs/tools.md lists them with the exit code. */
export const assertExportErrorCodes = [
  'ASSERT_EXPORT_INVALID_ARGUMENT',
  'ASSERT_EXPORT_SCRAPE_FAILED',
  'ASSERT_EXPORT_INVALID_EXPOSITION',
] as const;

export type AssertExportErrorCode = (typeof assertExportErrorCodes)[number];

/** Anything that stops the tool before it can judge the metrics: the CLI exits 2 on it. */
export class AssertExportError extends Error {
  override readonly name = 'AssertExportError';
  readonly code: AssertExportErrorCode;

  constructor(code: AssertExportErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }
}

/** Every code a `LimiterError` can carry; documented in the package README. */
export const limiterErrorCodes = ['LIMITER_INVALID_OPTION'] as const;

export type LimiterErrorCode = (typeof limiterErrorCodes)[number];

export class LimiterError extends Error {
  override readonly name: string = 'LimiterError';
  readonly code: LimiterErrorCode;

  constructor(code: LimiterErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }
}

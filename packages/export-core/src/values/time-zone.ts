import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

/** Throws EXPORT_INVALID_OPTION unless `value` is a time zone this runtime knows (IANA or UTC). */
export function assertTimeZone(value: unknown, option: string): asserts value is string {
  if (typeof value === 'string' && value !== '') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return;
    } catch {
      // falls through to the coded error
    }
  }
  throw new ExportError(
    'EXPORT_INVALID_OPTION',
    `option \`${option}\` must be an IANA time zone such as "UTC" or "Europe/Istanbul", got ${describeValue(value)}`,
  );
}

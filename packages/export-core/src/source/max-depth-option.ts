import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

/** How deep a record may nest when a source's `maxDepth` is not given (`{}` is 1 deep). */
export const defaultMaxRecordDepth = 64;

/** A `maxDepth` option: an integer from 1, or Infinity for no limit. */
export function maxDepthOption(maxDepth: number | undefined): number {
  if (maxDepth === undefined) return defaultMaxRecordDepth;
  if (maxDepth === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxDepth) && maxDepth >= 1)) {
    return maxDepth;
  }
  throw new ExportError(
    'EXPORT_INVALID_OPTION',
    `option \`maxDepth\` must be an integer >= 1 or Infinity, got ${describeValue(maxDepth)}`,
  );
}

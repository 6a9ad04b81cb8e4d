import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

/** Records from an array, any iterable, any async iterable, or an object-mode Readable. */
export type ExportSource<Row = unknown> = Iterable<Row> | AsyncIterable<Row>;

export function isExportSource(value: unknown): value is ExportSource {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const candidate = value as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  return (
    typeof candidate[Symbol.asyncIterator] === 'function' ||
    typeof candidate[Symbol.iterator] === 'function'
  );
}

/**
 * A string is iterable too, but a string of records is a mistake (NDJSON text goes through
 * `fromNdjson`), so it is refused.
 */
export function assertExportSource(source: unknown): asserts source is ExportSource {
  if (!isExportSource(source)) {
    throw new ExportError(
      'EXPORT_INVALID_OPTION',
      `option \`source\` must be an iterable, an async iterable or an object-mode Readable of records, got ${describeValue(source)}`,
    );
  }
}

/** One way to read every kind of source. */
export function toAsyncIterable(source: unknown): AsyncIterable<unknown> {
  assertExportSource(source);
  if (Symbol.asyncIterator in source) return source as AsyncIterable<unknown>;
  const iterable = source as Iterable<unknown>;
  return (async function* records() {
    // Not `yield* iterable`: an error thrown into this generator (a stream destroyed with it)
    // must come out as itself, and a plain iterator may have no `throw` to take it.
    for (const record of iterable) yield record;
  })();
}

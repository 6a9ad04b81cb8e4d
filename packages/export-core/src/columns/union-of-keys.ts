import { ExportError } from '../errors.js';
import { keysInSourceOrder } from '../source/source-key-order.js';

/** More distinct fields than a table of columns should hold: past it, name the columns. */
export const maxUnionColumns = 100_000;

/**
 * Every field of every record, in the order first seen: the columns of an input that is known
 * in full before it is written, so that no field is dropped. Array records give their positions.
 * Returns `undefined` for no records, so the writer's own rule (and its error) applies.
 */
export async function unionOfKeys(records: AsyncIterable<unknown>): Promise<string[] | undefined> {
  const keys = new Set<string>();
  let row = 0;
  for await (const record of records) {
    if (record === null || typeof record !== 'object') return undefined;
    const fields = Array.isArray(record)
      ? record.map((_, index) => String(index))
      : keysInSourceOrder(record);
    for (const key of fields) {
      if (keys.has(key)) continue;
      keys.add(key);
      if (keys.size > maxUnionColumns) {
        throw new ExportError(
          'EXPORT_NO_COLUMNS',
          `the records have more than ${maxUnionColumns} distinct fields (first past it in record ${row}); pass option \`columns\``,
          { row },
        );
      }
    }
    row += 1;
  }
  return keys.size === 0 ? undefined : [...keys];
}

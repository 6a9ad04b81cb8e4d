import { ExportError } from '../errors.js';
import { keysInSourceOrder } from '../source/source-key-order.js';

/** More distinct fields than a table of columns should hold: past it, name the columns. */
export const maxUnionColumns = 100_000;

/**
 * Every field of the records added, in the order first seen: the columns that drop nothing.
 * An array record's fields are its positions. Past `maxUnionColumns` fields it fails with
 * EXPORT_NO_COLUMNS, since such a table wants its columns named.
 */
export class KeyUnion {
  readonly #keys = new Set<string>();
  #arrayWidth = 0;

  add(record: object, row: number): void {
    const keys = this.#keys;
    if (Array.isArray(record)) {
      for (let position = this.#arrayWidth; position < record.length; position += 1) {
        keys.add(String(position));
      }
      this.#arrayWidth = Math.max(this.#arrayWidth, record.length);
    } else {
      for (const key of keysInSourceOrder(record)) keys.add(key);
    }
    if (keys.size > maxUnionColumns) {
      throw new ExportError(
        'EXPORT_NO_COLUMNS',
        `the records have more than ${maxUnionColumns} distinct fields (first past it in record ${row}); pass option \`columns\``,
        { row },
      );
    }
  }

  get keys(): string[] {
    return [...this.#keys];
  }
}

import { ExportError } from '../errors.js';
import { keysInSourceOrder } from '../source/source-key-order.js';
import type { NormalizedColumn } from './column-types.js';

export const unknownFieldPolicies = ['report', 'error'] as const;

/** What happens to a record's field that no column takes: counted and reported, or an error. */
export type UnknownFieldPolicy = (typeof unknownFieldPolicies)[number];

/** Fields that no column took: how many values, and the first distinct names. */
export interface DroppedFields {
  count: number;
  names: string[];
}

/** How many distinct names a report lists; the count covers them all. */
export const reportedNameLimit = 10;

/**
 * Watches the records against the columns, so that a field outside them is never dropped
 * without a word: each is counted (`report`) or fails the export (`error`). An array record's
 * extra positions count as fields named by their index.
 */
export class FieldAudit {
  readonly #policy: UnknownFieldPolicy;
  #keys: Set<string> | undefined;
  #width = 0;
  #count = 0;
  readonly #names = new Set<string>();

  constructor(policy: UnknownFieldPolicy) {
    this.#policy = policy;
  }

  /** The columns are known: from the options, or once the first record settled them. */
  get ready(): boolean {
    return this.#keys !== undefined;
  }

  useColumns(columns: readonly NormalizedColumn[]): void {
    this.#keys = new Set(columns.map((column) => column.key));
    this.#width = columns.length;
  }

  check(record: object, row: number): void {
    const keys = this.#keys;
    if (keys === undefined) return;
    if (Array.isArray(record)) {
      for (let position = this.#width; position < record.length; position += 1) {
        this.#drop(String(position), row);
      }
      return;
    }
    for (const key of keysInSourceOrder(record)) if (!keys.has(key)) this.#drop(key, row);
  }

  get dropped(): DroppedFields {
    return { count: this.#count, names: [...this.#names] };
  }

  #drop(name: string, row: number): void {
    if (this.#policy === 'error') {
      throw new ExportError(
        'EXPORT_UNKNOWN_FIELD',
        `record ${row} has the field ${JSON.stringify(name)}, which is not a column (option \`unknownFields\` is "error"; add it to \`columns\` or use "report")`,
        { row },
      );
    }
    this.#count += 1;
    if (this.#names.size < reportedNameLimit) this.#names.add(name);
  }
}

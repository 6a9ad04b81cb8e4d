import { reportedNameLimit } from '../columns/field-audit.js';

/**
 * Cells cut and ended with "…", a PDF's to fit their column and an XLSX's to Excel's 32,767
 * characters: how many, and in which columns.
 */
export interface TruncatedCells {
  count: number;
  /** The first distinct column keys (at most `reportedNameLimit`); the count covers them all. */
  columns: string[];
}

/** Counts the cut cells as they are drawn, so that no text is cut without a word. */
export class TruncationCounter {
  #count = 0;
  readonly #columns = new Set<string>();

  add(columnKey: string): void {
    this.#count += 1;
    if (this.#columns.size < reportedNameLimit) this.#columns.add(columnKey);
  }

  get truncatedCells(): TruncatedCells {
    return { count: this.#count, columns: [...this.#columns] };
  }
}

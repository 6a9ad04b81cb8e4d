import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { cellValueText, readCellValue } from '../values/cell-text.js';
import { isNumberValue } from '../values/number-cell.js';
import { isNumberContent } from './cell-alignment.js';
import type { GlyphCache } from './glyph-cache.js';
import type { NormalizedMeasuredWidths, PdfColumnWidth } from './measured-widths.js';
import type { FontFace } from './open-pdf-document.js';

/** The most records buffered to measure the columns before the first page is drawn. */
export const columnSampleSize = 100;

/**
 * The widest cells of one column so far, as text and as numbers, in 1/1000 em of the cell font:
 * what the stream measures of its first records, and `measurePdfColumns` of all of them.
 */
export class ColumnMeter {
  readonly column: NormalizedColumn;
  readonly #glyphs: GlyphCache;
  #text = 0;
  #number = 0;
  #values = 0;
  #numbers = 0;

  constructor(column: NormalizedColumn, glyphs: GlyphCache) {
    this.column = column;
    this.#glyphs = glyphs;
  }

  /** Measures one cell as the renderer draws it; a value that has no text throws, as there. */
  add(value: unknown, record: ExportRecord, row: number): void {
    const advance = this.#glyphs.width(cellValueText(this.column, value, record, row));
    if (isNumberContent(this.column, value)) this.#number = Math.max(this.#number, advance);
    else this.#text = Math.max(this.#text, advance);
    if (value === null || value === undefined) return;
    this.#values += 1;
    if (isNumberValue(value)) this.#numbers += 1;
  }

  /** A cell drawn as text without reading a value: the nullText of a field a record lacks. */
  addText(text: string): void {
    this.#text = Math.max(this.#text, this.#glyphs.width(text));
  }

  get width(): PdfColumnWidth {
    return {
      text: this.#text,
      number: this.#number,
      numbersOnly: this.#values > 0 && this.#numbers === this.#values,
    };
  }
}

/** One column as the layout takes it, in points at the cell font size. */
export interface ColumnMeasure {
  /** The header, in the bold font. */
  readonly header: number;
  /** The widest cell drawn as text. */
  readonly text: number;
  /** The widest cell drawn as a number. */
  readonly number: number;
  /** Every value measured is a number (so its header sits right). */
  readonly numbersOnly: boolean;
}

/**
 * Measures the headers and the sampled records; a column that `measured` (over every record)
 * covers takes the wider of both, and its `numbersOnly`.
 */
export function measureColumns(
  columns: readonly NormalizedColumn[],
  sample: readonly ExportRecord[],
  fonts: { readonly regular: FontFace; readonly bold: FontFace },
  fontSize: number,
  measured?: NormalizedMeasuredWidths,
): ColumnMeasure[] {
  const scale = fontSize / 1000;
  const meters = columns.map((column) => new ColumnMeter(column, fonts.regular.glyphs));
  sample.forEach((record, row) => {
    meters.forEach((meter, position) => {
      meter.add(readCellValue(record, meter.column.key, position), record, row);
    });
  });
  return meters.map((meter) => {
    const sampled = meter.width;
    const all = measured?.get(meter.column.key);
    return {
      header: fonts.bold.glyphs.width(meter.column.header) * scale,
      text: Math.max(sampled.text, all?.text ?? 0) * scale,
      number: Math.max(sampled.number, all?.number ?? 0) * scale,
      numbersOnly: all ? all.numbersOnly : sampled.numbersOnly,
    };
  });
}

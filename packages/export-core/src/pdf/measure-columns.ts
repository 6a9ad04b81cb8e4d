import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { cellValueText, readCellValue } from '../values/cell-text.js';
import { isNumericValue } from './cell-alignment.js';
import type { FontFace } from './open-pdf-document.js';

/** The most records buffered to measure the columns before the first page is drawn. */
export const columnSampleSize = 100;

export interface ColumnMeasures {
  /** Per column, the widest of its header (bold) and its sampled cells, in points. */
  readonly textWidths: readonly number[];
  /** Per column, whether its sampled values are all numbers (so its header sits right too). */
  readonly numeric: readonly boolean[];
}

export function measureColumns(
  columns: readonly NormalizedColumn[],
  sample: readonly ExportRecord[],
  fonts: { readonly regular: FontFace; readonly bold: FontFace },
  fontSize: number,
): ColumnMeasures {
  const scale = fontSize / 1000;
  const measures = columns.map((column) => ({
    column,
    width: fonts.bold.glyphs.width(column.header) * scale,
    values: 0,
    numbers: 0,
  }));
  sample.forEach((record, row) => {
    measures.forEach((measure, position) => {
      const value = readCellValue(record, measure.column.key, position);
      if (value !== null && value !== undefined) {
        measure.values += 1;
        if (isNumericValue(value)) measure.numbers += 1;
      }
      const text = cellValueText(measure.column, value, record, row);
      measure.width = Math.max(measure.width, fonts.regular.glyphs.width(text) * scale);
    });
  });
  return {
    textWidths: measures.map((measure) => measure.width),
    numeric: measures.map((measure) => measure.values > 0 && measure.numbers === measure.values),
  };
}

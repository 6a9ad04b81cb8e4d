import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import type { CellMeter } from '../columns/measure-every-record.js';
import { cellValueText, readCellValue } from '../values/cell-text.js';

/** No column wider than this many characters: longer text wraps nowhere, and is read in the cell. */
export const maxColumnWidth = 60;
const minColumnWidth = 6;
// Room for the filter button beside the header, and a margin.
const padding = 2;
// A column's `width` is in PDF points; Excel's unit is the width of a digit of Calibri 11.
const pointsPerCharacter = 5.25;
// How a date or datetime cell is shown (yyyy-mm-dd, yyyy-mm-dd hh:mm:ss).
const dateWidth = 10;
const dateTimeWidth = 19;

/** Option `measuredWidths`: each column's widest cell in characters, by column key. */
export type XlsxMeasuredWidths = Readonly<Record<string, number>>;

/**
 * The widest cell of one column so far, in characters as it is shown (the longest line, capped
 * at `maxColumnWidth`): what the stream measures of its first records, and
 * `measureXlsxColumns` of all of them.
 */
export class XlsxColumnMeter implements CellMeter {
  readonly column: NormalizedColumn;
  #widest = 0;

  constructor(column: NormalizedColumn) {
    this.column = column;
  }

  add(value: unknown, record: ExportRecord, row: number): void {
    if (this.#widest < maxColumnWidth) {
      this.#widest = Math.max(this.#widest, shownLength(this.column, value, record, row));
    }
  }

  addText(text: string): void {
    this.#widest = Math.max(this.#widest, longestLine(text));
  }

  get width(): number {
    return this.#widest;
  }
}

/**
 * The width of each column in characters, from its header (bold, so a little wider) and the
 * sampled records, or from `measured` (over every record) where it is wider, capped at
 * `maxColumnWidth`. A column's own `width` wins.
 */
export function xlsxColumnWidths(
  columns: readonly NormalizedColumn[],
  sample: readonly ExportRecord[],
  measured: XlsxMeasuredWidths | undefined,
): number[] {
  return columns.map((column, position) => {
    if (column.width !== undefined) return round(column.width / pointsPerCharacter);
    const meter = new XlsxColumnMeter(column);
    sample.forEach((record, row) => {
      meter.add(readCellValue(record, column.key, position), record, row);
    });
    const widest = Math.max(
      Math.ceil(longestLine(column.header) * 1.1),
      meter.width,
      measured?.[column.key] ?? 0,
    );
    return round(Math.min(maxColumnWidth, Math.max(minColumnWidth, widest + padding)));
  });
}

function shownLength(
  column: NormalizedColumn,
  value: unknown,
  record: ExportRecord,
  row: number,
): number {
  if (column.format === undefined && value !== null && value !== undefined) {
    if (column.type === 'date') return dateWidth;
    if (column.type === 'datetime' || (column.type === undefined && value instanceof Date)) {
      return dateTimeWidth;
    }
  }
  return longestLine(cellValueText(column, value, record, row));
}

function longestLine(text: string): number {
  let longest = 0;
  for (const line of text.split('\n')) {
    // At least half as many characters as UTF-16 units: wide enough without counting.
    if (line.length >= maxColumnWidth * 2) return maxColumnWidth;
    // Characters, not UTF-16 units: an emoji is one.
    let length = 0;
    for (const _ of line) length += 1;
    longest = Math.max(longest, length);
    if (longest >= maxColumnWidth) break;
  }
  return Math.min(longest, maxColumnWidth);
}

function round(width: number): number {
  return Math.round(width * 100) / 100;
}

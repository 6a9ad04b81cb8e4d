import { ExportError } from '../errors.js';

/**
 * The smallest size, in points, a number is drawn at when it is wider than its column. A number
 * is never cut: below this size it fails the export instead (see `numberTooWide`).
 */
export const minimumNumberFontSize = 4;

/**
 * The font size at which a number of this advance (1/1000 em) fits `room` points: `fontSize`
 * when it fits as it is, smaller down to `minimumNumberFontSize`, `undefined` when not even that
 * fits. Rounded down to the hundredth a content stream writes, so that it never overflows.
 */
export function numberFontSize(
  advance: number,
  room: number,
  fontSize: number,
): number | undefined {
  const fitting = (room * 1000) / advance;
  // A hair of tolerance: a number exactly as wide as the widest measured one fits as it is.
  if (advance === 0 || fitting >= fontSize * (1 - 1e-9)) return fontSize;
  const size = Math.floor(fitting * 100) / 100;
  return size >= minimumNumberFontSize ? size : undefined;
}

export interface NumberTooWide {
  readonly row: number;
  readonly columnKey: string;
  readonly text: string;
  /** Its width at the minimum font size, and the column's room, in points. */
  readonly widthAtMinimum: number;
  readonly room: number;
}

/** A number that does not fit its column even at the minimum size: the export fails, uncut. */
export function numberTooWide(cell: NumberTooWide): ExportError {
  const shown =
    cell.text.length > 40
      ? `${cell.text.slice(0, 40)}… (${cell.text.length} characters)`
      : cell.text;
  return new ExportError(
    'EXPORT_TABLE_TOO_WIDE',
    `record ${cell.row} has a number in column \`${cell.columnKey}\` (${shown}) that is ${round(cell.widthAtMinimum)} pt wide at the minimum font size of ${minimumNumberFontSize} pt, and the column has room for ${round(cell.room)} pt; numbers are never cut: measure the widths over every record (\`pdf.measuredWidths\`, which the export pool does for bytes and file sources), widen the column (\`columns[].width\`) or use fewer columns`,
    { row: cell.row },
  );
}

function round(points: number): number {
  return Math.round(points * 100) / 100;
}

import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { ExportError } from '../errors.js';
import { cellValueText } from '../values/cell-text.js';
import { ExactNumber } from '../values/exact-number.js';
import type { TruncationCounter } from '../values/truncated-cells.js';
import { exactDouble } from './exact-double.js';
import { dateSerial, isoStringSerial } from './excel-date-serial.js';
import { xlsxLimits } from './xlsx-limits.js';
import { cellStyles } from './xlsx-styles.js';
import { xmlText } from './xml-text.js';

/**
 * The `<c>` of one value, typed by its column: numbers as number cells when Excel holds them
 * exactly (else as text, every digit kept), booleans as booleans, dates of a date or datetime
 * column (and Dates of a column without a type) as date serials in the column's time zone,
 * everything else as an inline string, never a formula. Null and a missing field are an empty
 * cell (no `<c>`), or the `nullText` as text.
 */
export function cellXml(
  column: NormalizedColumn,
  reference: string,
  value: unknown,
  record: ExportRecord,
  row: number,
  truncations: TruncationCounter,
): string {
  if (column.format === undefined && value !== null && value !== undefined) {
    const typed = typedCellXml(column, reference, value, row);
    if (typed !== undefined) return typed;
  }
  const text = cellValueText(column, value, record, row);
  return text === '' ? '' : inlineStringXml(reference, text, column.key, truncations);
}

/** An inline string, cut with "…" to Excel's 32,767 characters (and counted) when longer. */
export function inlineStringXml(
  reference: string,
  text: string,
  columnKey: string,
  truncations: TruncationCounter,
  style = '',
): string {
  let written = text;
  if (written.length > xlsxLimits.maxCellLength) {
    written = cutText(written, xlsxLimits.maxCellLength);
    truncations.add(columnKey);
  }
  // Leading or trailing spaces are kept only where the element asks for it.
  const space = /^\s|\s$/.test(written) ? ' xml:space="preserve"' : '';
  return `<c r="${reference}"${style} t="inlineStr"><is><t${space}>${xmlText(written)}</t></is></c>`;
}

function cutText(text: string, length: number): string {
  let end = length - 1;
  // Never half of a surrogate pair: the emoji goes whole, or not at all.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The cell of a value its type writes as other than text, or `undefined` for text. */
function typedCellXml(
  column: NormalizedColumn,
  reference: string,
  value: unknown,
  row: number,
): string | undefined {
  switch (column.type) {
    case undefined:
      return inferredCellXml(column, reference, value);
    case 'integer':
    case 'decimal': {
      // The column's own checks (an integer column refuses 1.5) run before the number is taken.
      const literal = cellValueText(column, value, {}, row);
      const number = typeof value === 'number' ? literal : exactDouble(literal);
      return number === undefined ? undefined : numberXml(reference, number);
    }
    case 'boolean': {
      const literal = cellValueText(column, value, {}, row);
      return booleanXml(reference, literal === 'true');
    }
    case 'date':
    case 'datetime':
      return dateCellXml(column, reference, value, row);
    case 'text':
      return undefined;
  }
}

function inferredCellXml(
  column: NormalizedColumn,
  reference: string,
  value: unknown,
): string | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? numberXml(reference, String(value)) : undefined;
    case 'bigint': {
      const number = exactDouble(value.toString());
      return number === undefined ? undefined : numberXml(reference, number);
    }
    case 'boolean':
      return booleanXml(reference, value);
    case 'object': {
      if (value instanceof ExactNumber) {
        const number = exactDouble(value.text);
        return number === undefined ? undefined : numberXml(reference, number);
      }
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) return undefined;
      const serial = dateSerial(value, column.timeZone, false);
      return serial === undefined ? undefined : dateXml(reference, serial, false);
    }
    default:
      return undefined;
  }
}

function dateCellXml(
  column: NormalizedColumn,
  reference: string,
  value: unknown,
  row: number,
): string | undefined {
  const dayOnly = column.type === 'date';
  let serial: number | undefined;
  if (typeof value === 'string') {
    serial = isoStringSerial(value, column.timeZone, dayOnly);
  } else {
    const date = typeof value === 'number' ? new Date(value) : value;
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      // The column's own message: what a date column takes.
      cellValueText(column, value, {}, row);
      throw new ExportError('EXPORT_INTERNAL', `record ${row}: no date in column ${column.key}`);
    }
    serial = dateSerial(date, column.timeZone, dayOnly);
  }
  return serial === undefined ? undefined : dateXml(reference, serial, dayOnly);
}

function numberXml(reference: string, number: string): string {
  return `<c r="${reference}"><v>${number}</v></c>`;
}

function booleanXml(reference: string, value: boolean): string {
  return `<c r="${reference}" t="b"><v>${value ? 1 : 0}</v></c>`;
}

function dateXml(reference: string, serial: number, dayOnly: boolean): string {
  const style = dayOnly ? cellStyles.date : cellStyles.dateTime;
  return `<c r="${reference}" s="${style}"><v>${serial}</v></c>`;
}

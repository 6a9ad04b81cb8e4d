import { ExactNumber } from './exact-number.js';
import { jsonText } from './json-text.js';

/**
 * The text of one cell, the same in CSV and PDF: null and undefined are empty, dates are ISO 8601
 * UTC, booleans `true`/`false`, bigints their digits, ExactNumbers their literal, objects and
 * arrays JSON in their source key order. Non-finite numbers keep their JavaScript spelling (`NaN`,
 * `Infinity`, `-Infinity`) so they are never mistaken for a value. Throws a TypeError for a value
 * that has no text (a circular object, say).
 */
export function formatCellValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return '';
    default:
      return formatObject(value as object | null);
  }
}

function formatObject(value: object | null): string {
  if (value === null) return '';
  if (value instanceof ExactNumber) return value.text;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return jsonText(value);
}

import { isNumericLiteral } from '../values/numeric-literal.js';

/** Excel keeps 15 significant digits: a number of more would be shown, and saved, rounded. */
const maxSignificantDigits = 15;
// Excel's range: smaller magnitudes are 0 to it, larger ones an error.
const smallestMagnitude = 2.2250738585072014e-308;
const largestMagnitude = 9.99999999999999e307;

/**
 * The number cell value of a numeric literal, when Excel holds it without changing it: at most
 * 15 significant digits, within Excel's range, not -0. Otherwise `undefined`, and the literal is
 * written as text, every digit kept (`12345678901234567890`, `0.1000000000000000055`, `1e400`).
 */
export function exactDouble(literal: string): string | undefined {
  if (!isNumericLiteral(literal) || significantDigits(literal) > maxSignificantDigits) {
    return undefined;
  }
  const value = Number(literal);
  if (Object.is(value, -0)) return undefined;
  const magnitude = Math.abs(value);
  if (value !== 0 && !(magnitude >= smallestMagnitude && magnitude <= largestMagnitude)) {
    return undefined;
  }
  return String(value);
}

function significantDigits(literal: string): number {
  const mantissa = literal
    .replace(/^[+-]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

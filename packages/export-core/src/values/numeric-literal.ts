// A plain number as people and spreadsheets write it: -5, 3.12, +1e5, .5. Excel reads such
// text as a number, never as a formula, so the formula guard leaves it alone.
const numericLiteral = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const integerLiteral = /^[+-]?\d+$/;

export function isNumericLiteral(text: string): boolean {
  return numericLiteral.test(text);
}

export function isIntegerLiteral(text: string): boolean {
  return integerLiteral.test(text);
}

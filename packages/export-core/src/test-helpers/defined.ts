/** The value, or a failed test when it is missing: instead of a non-null assertion. */
export function defined<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`expected a ${what}`);
  return value;
}

import { ExactNumber } from '../../values/exact-number.js';

/**
 * A parsed value with its bigints and ExactNumbers turned into doubles: what JSON.parse makes of
 * the same text, for comparing with it. (toStrictEqual compares objects' `constructor`s by
 * identity, so a `constructor` key makes two equal copies differ there; toEqual does not.)
 */
export function asDoubles(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof ExactNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(asDoubles);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    Object.defineProperty(copy, key, {
      value: asDoubles(member),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return copy;
}

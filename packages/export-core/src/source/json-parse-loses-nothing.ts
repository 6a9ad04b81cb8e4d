/** What the walk found when it stopped early: a token that loses something, or one it cannot read. */
export const lossy = -1;
const unknown = -2;
/** Deeper values are left to `mayNeedExactParse`, unless the caller walks less deep. */
const deepestWalk = 32;

/**
 * Whether `value`, what JSON.parse made of `text`, lost nothing of it: `true` when every number
 * literal is one a double writes back the same and every object lists its keys in text order,
 * `false` when a literal would change, `undefined` when the text is beyond this quick check
 * (an escape, nesting deeper than `maxDepth` or 32, a key that may be an array index, a duplicate key). It walks the
 * value and the text side by side, reading only the number literals: without a backslash, a
 * string or a key takes its length plus its two quotes, so every other token's place is known.
 */
export function jsonParseLosesNothing(
  text: string,
  value: object,
  maxDepth = deepestWalk,
): boolean | undefined {
  if (text.includes('\\')) return undefined;
  const end = walk(text, skipWhitespace(text, 0), value, 0, Math.min(maxDepth, deepestWalk));
  if (end === lossy) return false;
  // The whole text must have been walked: a duplicate key leaves members over.
  return end !== unknown && skipWhitespace(text, end) === text.length ? true : undefined;
}

/** Walks the value starting at `i`; returns where it ends, or `lossy` or `unknown`. */
function walk(text: string, i: number, value: unknown, depth: number, maxDepth: number): number {
  if (typeof value === 'string') {
    const close = i + value.length + 1;
    return text.charCodeAt(i) === 0x22 && text.charCodeAt(close) === 0x22 ? close + 1 : unknown;
  }
  if (typeof value === 'number') return numberEnd(text, i);
  if (typeof value === 'boolean') return i + (value ? 4 : 5);
  if (value === null) return i + 4;
  if (typeof value !== 'object' || depth === maxDepth) return unknown;
  if (Array.isArray(value)) {
    return text.charCodeAt(i) === 0x5b ? walkArray(text, i, value, depth + 1, maxDepth) : unknown;
  }
  const object = value as Record<string, unknown>;
  return text.charCodeAt(i) === 0x7b ? walkObject(text, i, object, depth + 1, maxDepth) : unknown;
}

function walkArray(
  text: string,
  start: number,
  array: unknown[],
  depth: number,
  maxDepth: number,
): number {
  let i = start + 1;
  for (let index = 0; index < array.length; index += 1) {
    if (index > 0) {
      i = after(text, i, 0x2c);
      if (i < 0) return i;
    }
    i = walk(text, skipWhitespace(text, i), array[index], depth, maxDepth);
    if (i < 0) return i;
  }
  return after(text, i, 0x5d);
}

function walkObject(
  text: string,
  start: number,
  object: Record<string, unknown>,
  depth: number,
  maxDepth: number,
): number {
  let i = start + 1;
  let first = true;
  // Whitespace is skipped only where the expected character is not found.
  for (const key in object) {
    if (first) {
      // Array-index keys come first in JavaScript, whatever the text's order: none if the first is not one.
      const code = key.charCodeAt(0);
      if (code >= 0x30 && code <= 0x39) return unknown;
      first = false;
    } else {
      if (text.charCodeAt(i) !== 0x2c) i = skipWhitespace(text, i);
      if (text.charCodeAt(i) !== 0x2c) return unknown;
      i += 1;
    }
    if (text.charCodeAt(i) !== 0x22) i = skipWhitespace(text, i);
    let close = i + key.length + 1;
    if (text.charCodeAt(i) !== 0x22 || text.charCodeAt(close) !== 0x22) return unknown;
    close += 1;
    if (text.charCodeAt(close) !== 0x3a) close = skipWhitespace(text, close);
    if (text.charCodeAt(close) !== 0x3a) return unknown;
    i = close + 1;
    const value = object[key];
    if (typeof value === 'string') {
      if (text.charCodeAt(i) !== 0x22) i = skipWhitespace(text, i);
      const end = i + value.length + 1;
      if (text.charCodeAt(i) !== 0x22 || text.charCodeAt(end) !== 0x22) return unknown;
      i = end + 1;
    } else {
      i = walk(text, skipWhitespace(text, i), value, depth, maxDepth);
      if (i < 0) return i;
    }
  }
  if (text.charCodeAt(i) !== 0x7d) i = skipWhitespace(text, i);
  return text.charCodeAt(i) === 0x7d ? i + 1 : unknown;
}

/** Where the text goes on after the character `code` at `i`, whitespace before it allowed; or `unknown`. */
function after(text: string, i: number, code: number): number {
  if (text.charCodeAt(i) === code) return i + 1;
  const next = skipWhitespace(text, i);
  return text.charCodeAt(next) === code ? next + 1 : unknown;
}

/**
 * Where the number literal at `i` ends, or `lossy` when a double may write it otherwise: an
 * exponent, a fraction ending in 0, `-0`, a fraction below 1e-6 written out, 16 digits or more.
 * Any other literal has at most 15 digits and no trailing zero, so `String(Number(t))` is `t`.
 */
export function numberEnd(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i += 1;
  const integerStart = i;
  let digits = 0;
  let code = text.charCodeAt(i);
  while (code >= 0x30 && code <= 0x39) {
    digits += 1;
    i += 1;
    code = text.charCodeAt(i);
  }
  if (digits === 0) return unknown;
  const leadingZero = text.charCodeAt(integerStart) === 0x30;
  if (code === 0x2e) {
    i += 1;
    const fractionStart = i;
    code = text.charCodeAt(i);
    while (code >= 0x30 && code <= 0x39) {
      digits += 1;
      i += 1;
      code = text.charCodeAt(i);
    }
    if (text.charCodeAt(i - 1) === 0x30) return lossy;
    // 0.000000…: six zeros after the point make it smaller than 1e-6.
    if (leadingZero && i - fractionStart > 6 && text.startsWith('000000', fractionStart)) {
      return lossy;
    }
  } else if (leadingZero && integerStart > start) {
    return lossy;
  }
  if (code === 0x65 || code === 0x45 || digits > 15) return lossy;
  return i;
}

function skipWhitespace(text: string, start: number): number {
  let i = start;
  let code = text.charCodeAt(i);
  if (code > 0x20) return i;
  while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) {
    i += 1;
    code = text.charCodeAt(i);
  }
  return i;
}

import { ExactNumber } from '../values/exact-number.js';
import { isIntegerLiteral } from '../values/numeric-literal.js';
import { numberEnd } from './json-parse-loses-nothing.js';
import { rememberKeyOrder } from './source-key-order.js';

/** An open container: the array, or the object with its keys in text order and the key now read. */
interface OpenContainer {
  readonly value: unknown[] | Record<string, unknown>;
  readonly keys: string[] | undefined;
  key: string;
  /** Whether a key starts with a digit, so that JavaScript may order the keys differently. */
  digitKey: boolean;
}

const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const openBrace = 0x7b;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const closeBrace = 0x7d;

/**
 * Parses JSON text that `JSON.parse` has already accepted, keeping what a double or an object
 * would lose: a number whose text a double would change becomes a bigint (an integer beyond
 * 2^53) or an ExactNumber (`100.10`, `1e400`, `-0`), and an object whose key order JavaScript
 * would change has its text order recorded (`keysInSourceOrder`). Anything else is exactly what
 * `JSON.parse` returns. Iterative, so any depth JSON.parse accepts is parsed.
 */
export function parseExactJson(text: string): unknown {
  const stack: OpenContainer[] = [];
  let i = skipWhitespace(text, 0);
  for (;;) {
    // A value starts at i.
    const first = text.charCodeAt(i);
    let value: unknown;
    if (first === openBrace || first === openBracket) {
      const isObject = first === openBrace;
      i = skipWhitespace(text, i + 1);
      const empty = text.charCodeAt(i) === (isObject ? closeBrace : closeBracket);
      if (!empty) {
        const container: OpenContainer = isObject
          ? { value: {}, keys: [], key: '', digitKey: false }
          : { value: [], keys: undefined, key: '', digitKey: false };
        stack.push(container);
        if (isObject) i = readKey(text, i, container);
        continue;
      }
      i += 1;
      value = isObject ? {} : [];
    } else if (first === quote) {
      const end = stringEnd(text, i);
      value = stringValue(text, i, end);
      i = end + 1;
    } else if (first === 0x74 || first === 0x66 || first === 0x6e) {
      value = first === 0x74 ? true : first === 0x66 ? false : null;
      i += first === 0x66 ? 5 : 4;
    } else {
      const start = i;
      const end = numberEnd(text, start);
      if (end >= 0) {
        // A literal a double writes back the same.
        i = end;
        value = Number(text.slice(start, i));
      } else {
        i += 1;
        while (i < text.length && isNumberCharacter(text.charCodeAt(i))) i += 1;
        value = exactNumberOf(text.slice(start, i));
      }
    }
    // A value ends at i: it joins its container, and every container it completes joins its own.
    for (;;) {
      const container = stack[stack.length - 1];
      if (container === undefined) return value;
      if (container.keys === undefined) (container.value as unknown[]).push(value);
      else setMember(container.value as Record<string, unknown>, container.key, value);
      i = skipWhitespace(text, i);
      const next = text.charCodeAt(i);
      i = skipWhitespace(text, i + 1);
      if (next === comma) {
        if (container.keys !== undefined) i = readKey(text, i, container);
        break;
      }
      stack.pop();
      if (container.digitKey) keepKeyOrder(container.value, container.keys as string[]);
      value = container.value;
    }
  }
}

/**
 * A JSON number literal as the value that keeps it: a number when a double writes it back the
 * same, a bigint for an integer beyond 2^53, an ExactNumber otherwise.
 */
export function exactNumberOf(literal: string): number | bigint | ExactNumber {
  const number = Number(literal);
  if (isIntegerLiteral(literal)) {
    if (Number.isSafeInteger(number) && literal !== '-0') return number;
    return literal === '-0' ? new ExactNumber(literal) : BigInt(literal);
  }
  return String(number) === literal ? number : new ExactNumber(literal);
}

/** Reads the key at i, and the colon after it; returns where the value starts. */
function readKey(text: string, i: number, container: OpenContainer): number {
  const end = stringEnd(text, i);
  const key = stringValue(text, i, end);
  container.key = key;
  (container.keys as string[]).push(key);
  const first = key.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) container.digitKey = true;
  // Past the closing quote, the whitespace and the colon.
  return skipWhitespace(text, skipWhitespace(text, end + 1) + 1);
}

function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    // An own property, as JSON.parse makes it, not the object's prototype.
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}

/** Records the keys' text order (first occurrence of each) when JavaScript lists them otherwise. */
function keepKeyOrder(object: object, keys: string[]): void {
  const ordered = Object.keys(object);
  const inText = ordered.length === keys.length ? keys : [...new Set(keys)];
  if (inText.some((key, k) => key !== ordered[k])) rememberKeyOrder(object, inText);
}

/** The index of the quote that closes the string whose opening quote is at i. */
function stringEnd(text: string, i: number): number {
  let k = text.indexOf('"', i + 1);
  // A quote after an odd number of backslashes is escaped.
  while (text.charCodeAt(k - 1) === backslash) {
    let backslashes = 1;
    while (text.charCodeAt(k - 1 - backslashes) === backslash) backslashes += 1;
    if (backslashes % 2 === 0) break;
    k = text.indexOf('"', k + 1);
  }
  return k;
}

function stringValue(text: string, start: number, end: number): string {
  const content = text.slice(start + 1, end);
  return content.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : content;
}

function isNumberCharacter(code: number): boolean {
  // Digits, `+`, `-`, `.`, `e`, `E`: JSON.parse has checked that they make a number.
  return (
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x65 ||
    code === 0x45
  );
}

function skipWhitespace(text: string, i: number): number {
  let k = i;
  for (;;) {
    const code = text.charCodeAt(k);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return k;
    k += 1;
  }
}

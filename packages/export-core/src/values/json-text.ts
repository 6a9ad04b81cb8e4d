import { keysInSourceOrder } from '../source/source-key-order.js';
import { ExactNumber } from './exact-number.js';

/**
 * A value as compact JSON, like `JSON.stringify` but exact: objects keep the key order of their
 * source text, bigints are written as their digits and ExactNumbers as their literal, so a
 * nested value reads back as it came in. Throws a TypeError for a circular value.
 */
export function jsonText(value: unknown): string {
  return write(value, new Set()) ?? '';
}

function write(value: unknown, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : writeObject(value, ancestors);
    default:
      return undefined;
  }
}

function writeObject(value: object, ancestors: Set<object>): string | undefined {
  if (value instanceof ExactNumber) return value.text;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON(), ancestors);
  }
  if (ancestors.has(value)) throw new TypeError('Converting circular structure to JSON');
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item) => write(item, ancestors) ?? 'null').join(',')}]`;
  } else {
    const members: string[] = [];
    for (const key of keysInSourceOrder(value)) {
      const member = write((value as Record<string, unknown>)[key], ancestors);
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}

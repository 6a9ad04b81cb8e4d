import { exactNumberOf, parseExactJson } from './exact-json-parser.js';
import { jsonParseLosesNothing } from './json-parse-loses-nothing.js';
import { mayNeedExactParse } from './may-need-exact-parse.js';

/**
 * `JSON.parse`, exact: a number whose text a double would change comes back as a bigint or an
 * ExactNumber, and an object whose key order JavaScript would change keeps its text order for
 * `keysInSourceOrder`. Throws JSON.parse's SyntaxError for invalid text. JSON.parse's value is
 * kept when a walk beside the text finds nothing lost (`jsonParseLosesNothing`) or, for text
 * beyond that walk, when `mayNeedExactParse` says so; otherwise the exact parser reads it again.
 */
export function parseJsonRecord(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'number') return exactNumberOf(text.trim());
  if (value === null || typeof value !== 'object') return value;
  const losesNothing = jsonParseLosesNothing(text, value);
  if (losesNothing === true || (losesNothing === undefined && !mayNeedExactParse(text))) {
    return value;
  }
  return parseExactJson(text);
}

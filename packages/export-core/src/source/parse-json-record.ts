import { exactNumberOf, parseExactJson } from './exact-json-parser.js';
import { jsonParseLosesNothing } from './json-parse-loses-nothing.js';
import { mayNeedExactParse } from './may-need-exact-parse.js';
import { nestedDeeperThan } from './nested-deeper-than.js';

/**
 * `JSON.parse`, exact: a number whose text a double would change comes back as a bigint or an
 * ExactNumber, and an object whose key order JavaScript would change keeps its text order for
 * `keysInSourceOrder`. Throws JSON.parse's SyntaxError for invalid text, and a
 * `JsonTooDeepError` for a value nested deeper than `maxDepth` (`{}` is 1 deep). JSON.parse's
 * value is kept when a walk beside the text finds nothing lost (`jsonParseLosesNothing`) or, for
 * text beyond that walk, when `mayNeedExactParse` says so; otherwise the exact parser reads it
 * again. Only values the walk did not finish are measured for depth: a finished walk went no
 * deeper than `maxDepth`.
 */
export function parseJsonRecord(text: string, maxDepth = Number.POSITIVE_INFINITY): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'number') return exactNumberOf(text.trim());
  if (value === null || typeof value !== 'object') return value;
  const losesNothing = jsonParseLosesNothing(text, value, maxDepth);
  if (losesNothing === true) return value;
  if (nestedDeeperThan(value, maxDepth)) throw new JsonTooDeepError(maxDepth);
  return losesNothing === undefined && !mayNeedExactParse(text) ? value : parseExactJson(text);
}

/** A JSON value nested deeper than a parser's `maxDepth`. */
export class JsonTooDeepError extends Error {
  readonly maxDepth: number;

  constructor(maxDepth: number) {
    super(`nested deeper than ${maxDepth} levels`);
    this.name = 'JsonTooDeepError';
    this.maxDepth = maxDepth;
  }
}

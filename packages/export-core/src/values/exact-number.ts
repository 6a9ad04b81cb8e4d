/**
 * A number kept as the text it was written with, because a double would change it: an integer
 * beyond 2^53, `100.10`, `1e400`, `-0`. JSON and NDJSON sources yield one only where
 * `JSON.parse` would lose something, and every writer writes `text` unchanged.
 */
export class ExactNumber {
  /** A JSON number literal, as in the source. */
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** The nearest double: what JavaScript arithmetic would see. */
  valueOf(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }

  /** Stays a number when a record holding it is written as JSON. */
  toJSON(): unknown {
    return rawJson(this.text);
  }
}

export function isExactNumber(value: unknown): value is ExactNumber {
  return value instanceof ExactNumber;
}

type RawJson = (text: string) => unknown;
const jsonRawJson = (JSON as unknown as { rawJSON?: RawJson }).rawJSON;

// JSON.rawJSON (Node 21+) writes the literal as is; on Node 20 the nearest double is the best
// JSON.stringify can do, so our own cell writer (format-cell-value) never relies on it.
function rawJson(text: string): unknown {
  return jsonRawJson ? jsonRawJson(text) : Number(text);
}

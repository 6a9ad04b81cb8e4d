import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { maxDepthOption } from './max-depth-option.js';

/** The JSON type of a value, as the scanner learns it from the value's first byte. */
export type JsonValueKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/**
 * What `next()` stopped at: a value begins (`start`, only above the element depth), a key ends
 * (`key`, only above the element depth), a value ends (`end`, down to the element depth).
 */
export type JsonScanEvent = 'start' | 'key' | 'end';

export interface JsonScannerOptions {
  /**
   * The depth of the elements, counted in open containers: 1 for the elements of a top-level
   * array. Values above it report `start` and `end`, keys above it report `key`, elements report
   * only `end`; nothing deeper is reported. Default 1.
   */
  elementDepth?: number;
  /**
   * The most levels of nesting an element may have: an element `{}` or `[]` is 1 deep. A
   * container opened deeper fails with EXPORT_INVALID_RECORD naming its `row` once
   * `namesRecords` is on, EXPORT_INVALID_JSON naming its `offset` otherwise. Default: no limit.
   */
  maxDepth?: number;
}

// What the scanner expects next. Numbers, so that the hot loop switches over small integers.
const atDocumentStart = 0;
const expectValue = 1;
const expectValueOrClose = 2;
const expectConstructorValue = 3;
const expectKeyOrClose = 4;
const expectKey = 5;
const expectColon = 6;
const afterValue = 7;
const afterDocument = 8;
const inString = 9;
const inEscape = 10;
const inUnicodeEscape = 11;
const afterMinus = 13;
const afterZero = 14;
const inInteger = 15;
const afterPoint = 16;
const inFraction = 17;
const afterExponentMark = 18;
const afterExponentSign = 19;
const inExponent = 20;
const inLiteral = 21;

// Kinds of open container on the stack; a constructor object is the value of a `constructor` key.
const objectContainer = 1;
const arrayContainer = 2;
const constructorObjectContainer = 3;

const byteOrderMark = [0xef, 0xbb, 0xbf];
const trueBytes = new Uint8Array([0x74, 0x72, 0x75, 0x65]);
const falseBytes = new Uint8Array([0x66, 0x61, 0x6c, 0x73, 0x65]);
const nullBytes = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);
const emptyChunk = new Uint8Array(0);

/** 1 for the four bytes JSON counts as whitespace: space, tab, line feed, carriage return. */
const whitespace = new Uint8Array(256).map((_, byte) =>
  byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d ? 1 : 0,
);
/**
 * 1 for the bytes that end a run of plain string content: `"`, `\` and controls. Bytes from 0x80
 * are content: no UTF-8 sequence holds an ASCII byte, so the structure is found whatever they
 * are; whether they are UTF-8 is for the caller to check (`isUtf8`), as the sources do.
 */
const stringStops = new Uint8Array(256).map((_, byte) =>
  byte < 0x20 || byte === 0x22 || byte === 0x5c ? 1 : 0,
);
const hexDigits = new Uint8Array(256).map((_, byte) =>
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    ? 1
    : 0,
);
/** The second byte of each single-character escape: `"` `\` `/` b f n r t. */
const simpleEscapes = new Uint8Array(256).map((_, byte) =>
  [0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(byte) ? 1 : 0,
);

/** A key that decodes to one of these is looked at; the longest, escaped, is 66 bytes. */
const protoKey = '__proto__';
const constructorKey = 'constructor';
const prototypeKey = 'prototype';
const longestWatchedKeyBytes = 6 * constructorKey.length;
const forbiddenKeyMessage =
  'a JSON object must not have a `__proto__` or `constructor.prototype` key';

/**
 * An incremental, validating JSON scanner over UTF-8 bytes (RFC 8259; bytes from 0x80 in strings taken as they come, a leading
 * byte order mark skipped). Feed it with `push(chunk)`, then call `next()` until it returns
 * undefined; each event it returns is described by `depth`, `kind`, `start` and `end` (absolute
 * byte offsets, `end` exclusive). `finish()` after the last chunk. A syntax error, a
 * `__proto__` key or a `constructor.prototype` key throws EXPORT_INVALID_JSON with its `offset`,
 * and, inside an element once `namesRecords` is on, its `row` and "(in record i)".
 */
export class JsonScanner {
  // The last event, for the caller to read: the open containers around its value or key, the
  // value's kind (`string` for a key), where it starts, and where it ends (`key` and `end` only).
  depth = 0;
  kind: JsonValueKind = 'null';
  start = 0;
  end = 0;
  /** Whether elements are records, to be named in syntax errors (`row`, "(in record i)"). */
  namesRecords = false;

  readonly #elementDepth: number;
  readonly #maxDepth: number;
  /** The open containers past which no container may open: elementDepth + maxDepth. */
  readonly #depthLimit: number;
  #chunk: Uint8Array = emptyChunk;
  #chunkOffset = 0;
  #position = 0;
  #state = atDocumentStart;
  #openContainers = 0;
  #stack = new Uint8Array(64);
  /** Where the value now open at each depth up to the element depth began. */
  readonly #valueStarts: number[];
  #elementStart = -1;
  #elementIndex = 0;
  #bomIndex = 0;
  #inKey = false;
  #keyStart = 0;
  #keyEscaped = false;
  #keyCarry = new Uint8Array(longestWatchedKeyBytes + 1);
  #keyCarryLength = 0;
  #constructorKey = false;
  #hexDigitsLeft = 0;
  #literal: Uint8Array = trueBytes;
  #literalIndex = 0;

  constructor(options: JsonScannerOptions = {}) {
    const elementDepth = options.elementDepth ?? 1;
    if (!Number.isSafeInteger(elementDepth) || elementDepth < 0) {
      throw new ExportError(
        'EXPORT_INVALID_OPTION',
        `option \`elementDepth\` must be an integer >= 0, got ${describeValue(elementDepth)}`,
      );
    }
    const maxDepth =
      options.maxDepth === undefined ? Number.POSITIVE_INFINITY : maxDepthOption(options.maxDepth);
    this.#elementDepth = elementDepth;
    this.#maxDepth = maxDepth;
    this.#depthLimit = elementDepth + maxDepth;
    this.#valueStarts = new Array<number>(elementDepth + 1).fill(0);
  }

  /** The absolute offset of the current chunk's first byte. */
  get chunkOffset(): number {
    return this.#chunkOffset;
  }

  /** Where the element now open began, or -1 between elements. */
  get openElementStart(): number {
    return this.#elementStart;
  }

  /** Starts on the next chunk; the previous one must have been scanned to its end. */
  push(chunk: Uint8Array): void {
    const previous = this.#chunk;
    this.#assertScanned();
    // inString to inUnicodeEscape: somewhere inside a string.
    if (this.#inKey && this.#state >= inString && this.#state <= inUnicodeEscape) {
      this.#carryKey(previous);
    }
    this.#chunkOffset += previous.length;
    this.#chunk = chunk;
    this.#position = 0;
  }

  /** Scans on to the next event, or to the end of the chunk (then returns undefined). */
  next(): JsonScanEvent | undefined {
    const chunk = this.#chunk;
    const length = chunk.length;
    const offset = this.#chunkOffset;
    const elementDepth = this.#elementDepth;
    let i = this.#position;
    let state = this.#state;
    let depth = this.#openContainers;
    let event: JsonScanEvent | undefined;
    scan: while (i < length) {
      switch (state) {
        case atDocumentStart: {
          const byte = chunk[i] as number;
          if (this.#bomIndex === 0 && byte !== 0xef) {
            state = expectValue;
          } else if (byte === byteOrderMark[this.#bomIndex]) {
            i += 1;
            this.#bomIndex += 1;
            if (this.#bomIndex === byteOrderMark.length) state = expectValue;
          } else {
            throw this.#invalidAt(0, 'expected a value, found byte 0xef', state, depth);
          }
          break;
        }
        case expectValue:
        case expectValueOrClose:
        case expectConstructorValue: {
          let byte = chunk[i] as number;
          while (byte <= 0x20 && whitespace[byte] === 1) {
            i += 1;
            if (i === length) break scan;
            byte = chunk[i] as number;
          }
          if (byte === 0x5d && state === expectValueOrClose) {
            depth -= 1;
            i += 1;
            state = depth === 0 ? afterDocument : afterValue;
            if (depth <= elementDepth) event = this.#valueEnded(depth, 'array', offset + i);
            if (event !== undefined) break scan;
            break;
          }
          if (depth <= elementDepth) {
            this.#valueStarts[depth] = offset + i;
            if (depth === elementDepth) this.#elementStart = offset + i;
          }
          const valueDepth = depth;
          let kind: JsonValueKind;
          if (byte === 0x7b || byte === 0x5b) {
            kind = byte === 0x7b ? 'object' : 'array';
            if (depth === this.#depthLimit) throw this.#tooDeep(offset + i, state, depth);
            if (depth === this.#stack.length) this.#growStack();
            this.#stack[depth] =
              byte === 0x5b
                ? arrayContainer
                : state === expectConstructorValue
                  ? constructorObjectContainer
                  : objectContainer;
            depth += 1;
            if (depth === elementDepth) this.#elementIndex = 0;
            state = byte === 0x7b ? expectKeyOrClose : expectValueOrClose;
          } else if (byte === 0x22) {
            kind = 'string';
            this.#inKey = false;
            state = inString;
          } else if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) {
            kind = 'number';
            state = byte === 0x2d ? afterMinus : byte === 0x30 ? afterZero : inInteger;
          } else if (byte === 0x74 || byte === 0x66 || byte === 0x6e) {
            kind = byte === 0x6e ? 'null' : 'boolean';
            this.#literal = byte === 0x74 ? trueBytes : byte === 0x66 ? falseBytes : nullBytes;
            this.#literalIndex = 1;
            state = inLiteral;
          } else {
            const expected = state === expectValueOrClose ? 'a value or `]`' : 'a value';
            throw this.#unexpected(chunk, i, expected, state, depth);
          }
          i += 1;
          if (valueDepth < elementDepth) {
            this.depth = valueDepth;
            this.kind = kind;
            this.start = offset + i - 1;
            event = 'start';
            break scan;
          }
          break;
        }
        case expectKeyOrClose:
        case expectKey: {
          let byte = chunk[i] as number;
          while (byte <= 0x20 && whitespace[byte] === 1) {
            i += 1;
            if (i === length) break scan;
            byte = chunk[i] as number;
          }
          if (byte === 0x22) {
            this.#inKey = true;
            this.#keyStart = offset + i;
            this.#keyEscaped = false;
            this.#keyCarryLength = 0;
            state = inString;
            i += 1;
          } else if (byte === 0x7d && state === expectKeyOrClose) {
            depth -= 1;
            i += 1;
            state = depth === 0 ? afterDocument : afterValue;
            if (depth <= elementDepth) event = this.#valueEnded(depth, 'object', offset + i);
            if (event !== undefined) break scan;
          } else {
            const expected = state === expectKeyOrClose ? 'a key or `}`' : 'a key';
            throw this.#unexpected(chunk, i, expected, state, depth);
          }
          break;
        }
        case expectColon: {
          let byte = chunk[i] as number;
          while (byte <= 0x20 && whitespace[byte] === 1) {
            i += 1;
            if (i === length) break scan;
            byte = chunk[i] as number;
          }
          if (byte !== 0x3a) throw this.#unexpected(chunk, i, '`:`', state, depth);
          i += 1;
          state = this.#constructorKey ? expectConstructorValue : expectValue;
          break;
        }
        case afterValue: {
          let byte = chunk[i] as number;
          while (byte <= 0x20 && whitespace[byte] === 1) {
            i += 1;
            if (i === length) break scan;
            byte = chunk[i] as number;
          }
          const container = this.#stack[depth - 1];
          if (byte === 0x2c) {
            i += 1;
            state = container === arrayContainer ? expectValue : expectKey;
          } else if (byte === (container === arrayContainer ? 0x5d : 0x7d)) {
            depth -= 1;
            i += 1;
            state = depth === 0 ? afterDocument : afterValue;
            const kind = container === arrayContainer ? 'array' : 'object';
            if (depth <= elementDepth) event = this.#valueEnded(depth, kind, offset + i);
            if (event !== undefined) break scan;
          } else {
            const expected = container === arrayContainer ? '`,` or `]`' : '`,` or `}`';
            throw this.#unexpected(chunk, i, expected, state, depth);
          }
          break;
        }
        case afterDocument: {
          const byte = chunk[i] as number;
          if (whitespace[byte] === 0) {
            throw this.#unexpected(chunk, i, 'the end of the JSON', state, depth);
          }
          i += 1;
          break;
        }
        case inString: {
          while (i < length && stringStops[chunk[i] as number] === 0) i += 1;
          if (i === length) break scan;
          const byte = chunk[i] as number;
          if (byte === 0x22) {
            i += 1;
            if (this.#inKey) {
              this.#checkKey(chunk, i - 1, depth, state);
              state = expectColon;
              if (depth < elementDepth) {
                this.depth = depth;
                this.kind = 'string';
                this.start = this.#keyStart;
                this.end = offset + i;
                event = 'key';
                break scan;
              }
            } else {
              state = depth === 0 ? afterDocument : afterValue;
              if (depth <= elementDepth) event = this.#valueEnded(depth, 'string', offset + i);
              if (event !== undefined) break scan;
            }
          } else if (byte === 0x5c) {
            i += 1;
            this.#keyEscaped = true;
            state = inEscape;
          } else {
            const message = `expected a character of a string, found control character 0x${hex(byte)} (it must be escaped)`;
            throw this.#invalidAt(offset + i, message, state, depth);
          }
          break;
        }
        case inEscape: {
          const byte = chunk[i] as number;
          if (byte === 0x75) {
            this.#hexDigitsLeft = 4;
            state = inUnicodeEscape;
          } else if (simpleEscapes[byte] === 1) {
            state = inString;
          } else {
            const expected = 'one of `"` `\\` `/` `b` `f` `n` `r` `t` `u` after `\\`';
            throw this.#unexpected(chunk, i, expected, state, depth);
          }
          i += 1;
          break;
        }
        case inUnicodeEscape: {
          if (hexDigits[chunk[i] as number] === 0) {
            throw this.#unexpected(chunk, i, 'a hex digit in `\\uXXXX`', state, depth);
          }
          i += 1;
          this.#hexDigitsLeft -= 1;
          if (this.#hexDigitsLeft === 0) state = inString;
          break;
        }
        case afterMinus:
        case afterPoint:
        case afterExponentSign: {
          const byte = chunk[i] as number;
          if (byte < 0x30 || byte > 0x39) throw this.#unexpected(chunk, i, 'a digit', state, depth);
          i += 1;
          state =
            state === afterMinus
              ? byte === 0x30
                ? afterZero
                : inInteger
              : state === afterPoint
                ? inFraction
                : inExponent;
          break;
        }
        case afterExponentMark: {
          const byte = chunk[i] as number;
          if (byte === 0x2b || byte === 0x2d) {
            state = afterExponentSign;
          } else if (byte >= 0x30 && byte <= 0x39) {
            state = inExponent;
          } else {
            throw this.#unexpected(chunk, i, 'a digit or a sign', state, depth);
          }
          i += 1;
          break;
        }
        case afterZero:
        case inInteger:
        case inFraction:
        case inExponent: {
          if (state !== afterZero) {
            while (i < length && ((chunk[i] as number) - 0x30) >>> 0 < 10) i += 1;
            if (i === length) break scan;
          }
          const byte = chunk[i] as number;
          if (byte === 0x2e && state !== inFraction && state !== inExponent) {
            state = afterPoint;
            i += 1;
          } else if ((byte === 0x65 || byte === 0x45) && state !== inExponent) {
            state = afterExponentMark;
            i += 1;
          } else {
            // The byte after the number is left for the next state to judge.
            state = depth === 0 ? afterDocument : afterValue;
            if (depth <= elementDepth) event = this.#valueEnded(depth, 'number', offset + i);
            if (event !== undefined) break scan;
          }
          break;
        }
        case inLiteral: {
          const literal = this.#literal;
          let index = this.#literalIndex;
          while (i < length && index < literal.length) {
            if (chunk[i] !== literal[index]) {
              const expected = `\`${new TextDecoder().decode(literal)}\``;
              throw this.#unexpected(chunk, i, expected, state, depth);
            }
            i += 1;
            index += 1;
          }
          this.#literalIndex = index;
          if (index === literal.length) {
            state = depth === 0 ? afterDocument : afterValue;
            const kind = literal === nullBytes ? 'null' : 'boolean';
            if (depth <= elementDepth) event = this.#valueEnded(depth, kind, offset + i);
            if (event !== undefined) break scan;
          }
          break;
        }
      }
    }
    this.#position = i;
    this.#state = state;
    this.#openContainers = depth;
    return event;
  }

  /**
   * Checks that the JSON is complete once every chunk is scanned; a number at the top level
   * ends only here, and then its `end` is returned.
   */
  finish(): JsonScanEvent | undefined {
    this.#assertScanned();
    const state = this.#state;
    const depth = this.#openContainers;
    const total = this.#chunkOffset + this.#chunk.length;
    if (state === afterDocument) return undefined;
    const numberComplete =
      state === afterZero || state === inInteger || state === inFraction || state === inExponent;
    if (depth === 0 && numberComplete) {
      this.#state = afterDocument;
      return this.#valueEnded(0, 'number', total);
    }
    let message: string;
    if (depth > 0) {
      const root = this.#stack[0] === arrayContainer ? 'array' : 'object';
      message = `the JSON ends before the ${root} is closed`;
    } else if (state === atDocumentStart || state === expectValue) {
      message = 'the JSON is empty';
    } else {
      message = 'the JSON ends before its value is complete';
    }
    throw this.#syntaxError(total, message, state, depth);
  }

  #valueEnded(depth: number, kind: JsonValueKind, end: number): JsonScanEvent {
    this.depth = depth;
    this.kind = kind;
    this.start = this.#valueStarts[depth] as number;
    this.end = end;
    if (depth === this.#elementDepth) {
      this.#elementStart = -1;
      this.#elementIndex += 1;
    }
    return 'end';
  }

  /** Refuses `__proto__` anywhere and `prototype` in a constructor object, decoded as JSON.parse would. */
  #checkKey(chunk: Uint8Array, closingQuote: number, depth: number, state: number): void {
    const keyStartInChunk = this.#keyStart - this.#chunkOffset;
    let key: string | undefined;
    if (keyStartInChunk >= 0 && !this.#keyEscaped) {
      const first = keyStartInChunk + 1;
      const keyLength = closingQuote - first;
      if (keyLength === protoKey.length || keyLength === constructorKey.length) {
        const watched =
          chunk[first] === 0x5f ? protoKey : chunk[first] === 0x63 ? constructorKey : prototypeKey;
        if (keyLength === watched.length && bytesSpell(chunk, first, watched)) key = watched;
      }
    } else {
      const from = Math.max(keyStartInChunk + 1, 0);
      const keyLength = this.#keyCarryLength + closingQuote - from;
      if (keyLength <= longestWatchedKeyBytes) {
        const bytes = new Uint8Array(keyLength);
        bytes.set(this.#keyCarry.subarray(0, this.#keyCarryLength));
        bytes.set(chunk.subarray(from, closingQuote), this.#keyCarryLength);
        key = JSON.parse(`"${new TextDecoder().decode(bytes)}"`) as string;
      }
    }
    this.#constructorKey = key === constructorKey;
    if (
      key === protoKey ||
      (key === prototypeKey && this.#stack[depth - 1] === constructorObjectContainer)
    ) {
      const message = `${forbiddenKeyMessage}, found one at byte ${this.#keyStart}`;
      throw this.#syntaxError(this.#keyStart, message, state, depth);
    }
  }

  /** Keeps the part of a key that the previous chunk held, as far as it could be a watched key. */
  #carryKey(previous: Uint8Array): void {
    const from = Math.max(this.#keyStart - this.#chunkOffset + 1, 0);
    const part = previous.subarray(from);
    if (this.#keyCarryLength + part.length > longestWatchedKeyBytes) {
      this.#keyCarryLength = longestWatchedKeyBytes + 1;
    } else {
      this.#keyCarry.set(part, this.#keyCarryLength);
      this.#keyCarryLength += part.length;
    }
  }

  #growStack(): void {
    const stack = new Uint8Array(this.#stack.length * 2);
    stack.set(this.#stack);
    this.#stack = stack;
  }

  #assertScanned(): void {
    if (this.#position !== this.#chunk.length) {
      throw new ExportError(
        'EXPORT_INTERNAL',
        'the JSON scanner was not run to the end of a chunk',
      );
    }
  }

  #unexpected(
    chunk: Uint8Array,
    i: number,
    expected: string,
    state: number,
    depth: number,
  ): ExportError {
    const found = describeByte(chunk[i] as number);
    return this.#invalidAt(
      this.#chunkOffset + i,
      `expected ${expected}, found ${found}`,
      state,
      depth,
    );
  }

  #tooDeep(offset: number, state: number, depth: number): ExportError {
    const maxDepth = this.#maxDepth;
    const row = this.#recordAt(state, depth);
    if (row === undefined) {
      return new ExportError(
        'EXPORT_INVALID_JSON',
        `a value is nested deeper than ${maxDepth} levels at byte ${offset} (option \`maxDepth\`)`,
        { offset },
      );
    }
    return new ExportError(
      'EXPORT_INVALID_RECORD',
      `record ${row} is nested deeper than ${maxDepth} levels (option \`maxDepth\`)`,
      { row, offset },
    );
  }

  #invalidAt(offset: number, detail: string, state: number, depth: number): ExportError {
    return this.#syntaxError(offset, `not valid JSON at byte ${offset}: ${detail}`, state, depth);
  }

  #syntaxError(offset: number, message: string, state: number, depth: number): ExportError {
    const row = this.#recordAt(state, depth);
    if (row === undefined) return new ExportError('EXPORT_INVALID_JSON', message, { offset });
    return new ExportError('EXPORT_INVALID_JSON', `${message} (in record ${row})`, { offset, row });
  }

  /** The index of the element the scanner is in or is about to read, when elements are records. */
  #recordAt(state: number, depth: number): number | undefined {
    if (!this.namesRecords) return undefined;
    if (depth > this.#elementDepth || this.#elementStart !== -1) return this.#elementIndex;
    const expectsElement =
      state === expectValue || state === expectValueOrClose || state === expectConstructorValue;
    return depth === this.#elementDepth && expectsElement ? this.#elementIndex : undefined;
  }
}

/** A JSON type as error messages name it: "an object", "a number", "null". */
export function describeJsonKind(kind: JsonValueKind): string {
  if (kind === 'null') return 'null';
  return kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`;
}

function bytesSpell(bytes: Uint8Array, from: number, text: string): boolean {
  for (let k = 0; k < text.length; k += 1) {
    if (bytes[from + k] !== text.charCodeAt(k)) return false;
  }
  return true;
}

function describeByte(byte: number): string {
  if (byte === 0x20) return 'a space';
  if (byte === 0x0a) return 'a line feed';
  if (byte === 0x0d) return 'a carriage return';
  if (byte === 0x09) return 'a tab';
  if (byte > 0x20 && byte < 0x7f) return `\`${String.fromCharCode(byte)}\``;
  return `byte 0x${hex(byte)}`;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExportError } from '../errors.js';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { ExactNumber } from '../values/exact-number.js';
import { fromNdjson } from './from-ndjson.js';
import { keysInSourceOrder } from './source-key-order.js';

async function collect(chunks: Array<string | Buffer>, maxLineBytes?: number) {
  const records: unknown[] = [];
  for await (const record of fromNdjson(
    Readable.from(chunks),
    maxLineBytes ? { maxLineBytes } : {},
  )) {
    records.push(record);
  }
  return records;
}

function failure(chunks: Array<string | Buffer>, maxLineBytes?: number): Promise<ExportError> {
  return exportRejectionOf(() => collect(chunks, maxLineBytes));
}

describe('fromNdjson', () => {
  it('yields one record per line', async () => {
    expect(await collect(['{"id":1}\n{"id":2}\n'])).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('accepts a last line without a newline, CRLF line ends and blank lines', async () => {
    expect(await collect(['{"id":1}\r\n\r\n  \n[2,"b"]'])).toEqual([{ id: 1 }, [2, 'b']]);
  });

  it('joins a line split across chunks, even inside a multi-byte character', async () => {
    const bytes = Buffer.from('{"city":"İstanbul"}\n{"city":"Αθήνα"}\n');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(await collect(chunks)).toEqual([{ city: 'İstanbul' }, { city: 'Αθήνα' }]);
  });

  it('skips a UTF-8 byte order mark at the start', async () => {
    expect(await collect(['\uFEFF{"a":1}\n'])).toEqual([{ a: 1 }]);
  });

  it('fails with EXPORT_INVALID_RECORD naming the line of malformed JSON', async () => {
    const error = await failure(['{"id":1}\n{"id":2}\n{"id":\n{"id":4}\n']);
    expect(error.code).toBe('EXPORT_INVALID_RECORD');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^line 3 is not valid JSON: /);
  });

  it('counts blank lines in the line number', async () => {
    expect((await failure(['{"a":1}\n\n\nnope\n'])).line).toBe(4);
  });

  it('fails with EXPORT_INVALID_RECORD for a line that is not an object or array', async () => {
    const error = await failure(['{"a":1}\n42\n']);
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', line: 2 });
    expect(error.message).toBe('line 2 must be a JSON object or array, got 42');
  });

  it('fails with EXPORT_INVALID_RECORD for a line nested deeper than maxDepth (64 by default)', async () => {
    const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    for (const nested of [arrays, objects]) {
      expect(await collect([`${nested(64)}\n`])).toEqual([JSON.parse(nested(64))]);
      for (const levels of [65, 100_000]) {
        // Beside a lossless number and an escape, so every path of the parser is taken.
        for (const line of [nested(levels), `{"id":1e400,"deep":${nested(levels - 1)}}`]) {
          const error = await failure([`{"ok":true}\n${line}\n`]);
          expect(error).toMatchObject({
            code: 'EXPORT_INVALID_RECORD',
            line: 2,
            message: 'line 2 is nested deeper than 64 levels (option `maxDepth`)',
          });
        }
      }
    }
    const records = fromNdjson(Readable.from(['{"a":{"b":1}}\n{"a":"\\n","b":{"c":[1]}}\n']), {
      maxDepth: 2,
    });
    const seen: unknown[] = [];
    const error = await exportRejectionOf(async () => {
      for await (const record of records) seen.push(record);
    });
    expect(seen).toEqual([{ a: { b: 1 } }]);
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', line: 2 });
    const unlimited = fromNdjson(Readable.from([`${arrays(100_000)}\n`]), { maxDepth: Infinity });
    for await (const record of unlimited) expect(Array.isArray(record)).toBe(true);
  });

  it.each([0, 2.5, Number.NaN])('refuses maxDepth %s', async (maxDepth) => {
    const error = await exportRejectionOf(async () => {
      for await (const _ of fromNdjson(Readable.from(['{}\n']), { maxDepth })) {
        // nothing: the options fail first
      }
    });
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
  });

  it('fails with EXPORT_LINE_TOO_LONG before holding more than maxLineBytes of one line', async () => {
    let pulled = 0;
    const endless = Readable.from(
      (function* chunks() {
        yield '{"ok":1}\n';
        while (pulled < 10_000) {
          pulled += 1;
          yield 'x'.repeat(100);
        }
      })(),
    );
    let caught: unknown;
    try {
      for await (const _record of fromNdjson(endless, { maxLineBytes: 1_000 })) {
        // read on
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'EXPORT_LINE_TOO_LONG', line: 2 });
    expect(pulled).toBeLessThan(20);
  });

  it('accepts a line of exactly maxLineBytes', async () => {
    const line = `{"a":"${'x'.repeat(10)}"}`;
    expect(await collect([`${line}\n`], line.length)).toHaveLength(1);
  });

  it('rejects a bad maxLineBytes with EXPORT_INVALID_OPTION', async () => {
    expect((await failure(['{}'], -1)).code).toBe('EXPORT_INVALID_OPTION');
  });
});

describe('fromNdjson, exactly', () => {
  it('keeps numbers a double would change, and the key order of each line', async () => {
    const [first, second] = await collect([
      '{"orderId":1234567890123456789,"px":100.10,"big":1e400,"z":-0,"ok":0.1}\n',
      '{"name":1,"2024":2,"2023":3,"id":4}\n',
    ]);
    expect(first).toEqual({
      orderId: 1234567890123456789n,
      px: new ExactNumber('100.10'),
      big: new ExactNumber('1e400'),
      z: new ExactNumber('-0'),
      ok: 0.1,
    });
    expect(keysInSourceOrder(second as object)).toEqual(['name', '2024', '2023', 'id']);
  });

  it('fails with EXPORT_INVALID_UTF8 naming the line and the offset of the first bad byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":1}\n{"a":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n{"a":3}\n'),
    ]);
    const chunkings = [[bytes], Array.from(bytes, (byte) => Buffer.from([byte]))];
    for (const chunks of chunkings) {
      const error = await failure(chunks);
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_UTF8', line: 2, offset: 17 });
      expect(error.message).toBe(
        'line 2 is not valid UTF-8: byte 17 starts an invalid sequence (NDJSON must be UTF-8)',
      );
    }
  });

  it('finds a character cut short at the end of the input', async () => {
    const bytes = Buffer.concat([Buffer.from('\uFEFF{"a":1}\n["'), Buffer.from([0xf0, 0x9f])]);
    expect(await failure([bytes])).toMatchObject({
      code: 'EXPORT_INVALID_UTF8',
      line: 2,
      offset: 13,
    });
  });
});

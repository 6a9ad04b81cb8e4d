import { describe, expect, it } from 'vitest';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import { inspectJsonDocument } from './inspect-json-document.js';
import { JsonDocumentInspector } from './json-document-inspector.js';

/** Pushes `bytes` in chunks of `size` bytes; returns how many chunks were pushed when it threw. */
function pushInChunks(inspector: JsonDocumentInspector, bytes: Uint8Array, size: number): number {
  let pushed = 0;
  for (let start = 0; start < bytes.length; start += size) {
    pushed += 1;
    inspector.push(bytes.subarray(start, start + size));
  }
  return pushed;
}

function inspectInChunks(text: string | Uint8Array, size: number, recordsKey = 'records') {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const inspector = new JsonDocumentInspector({ recordsKey });
  pushInChunks(inspector, bytes, size);
  return inspector.finish();
}

/** Empty records: `{"records":[{},{},...]}` */
function emptyRecords(count: number): Buffer {
  return Buffer.from(`{"records":[${Array.from({ length: count }, () => '{}').join(',')}]}`);
}

describe('JsonDocumentInspector', () => {
  it.each([1, 2, 3, 7, 64])(
    'inspects a document pushed in chunks of %i bytes as a whole one',
    (size) => {
      const text =
        '\uFEFF{"a" : [1, {"b":"\\u00e9t\u00e9"}], "\\u0072ecords":[{"x":1},[2,"\u20ac"]], "c\u00e9":"\u{1F600}"}';
      const bytes = Buffer.from(text);
      expect(inspectInChunks(bytes, size)).toEqual(
        inspectJsonDocument(bytes, { recordsKey: 'records' }),
      );
    },
  );

  it('accepts a character cut by a chunk boundary, and names a bad byte by its offset in the whole input', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"\u00e9'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const inspector = new JsonDocumentInspector({ recordsKey: 'records' });
    inspector.push(bytes.subarray(0, 7));
    const error = exportErrorOf(() => inspector.push(bytes.subarray(7)));
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_UTF8', offset: 8 });
  });

  it('refuses a document that ends in the middle of a character', () => {
    const inspector = new JsonDocumentInspector({ recordsKey: 'records' });
    inspector.push(Buffer.from('{"a":"'));
    inspector.push(Buffer.from([0xc3]));
    expect(exportErrorOf(() => inspector.finish())).toMatchObject({
      code: 'EXPORT_INVALID_UTF8',
      offset: 6,
    });
  });
});

describe('JsonDocumentInspector option maxRecords', () => {
  it('accepts exactly maxRecords records', () => {
    const inspector = new JsonDocumentInspector({ recordsKey: 'records', maxRecords: 3 });
    inspector.push(emptyRecords(3));
    expect(inspector.finish().records).toMatchObject({ type: 'array', count: 3 });
  });

  it('fails with EXPORT_TOO_MANY_ROWS at record maxRecords + 1, naming its row', () => {
    const error = exportErrorOf(() =>
      inspectJsonDocument(emptyRecords(5), { recordsKey: 'records', maxRecords: 3 }),
    );
    expect(error).toMatchObject({
      name: 'ExportError',
      code: 'EXPORT_TOO_MANY_ROWS',
      row: 3,
      message: 'the records array has more than 3 records (option `maxRecords`)',
    });
  });

  it('stops at the chunk where record maxRecords + 1 begins, not at the end of the document', () => {
    // Records of 3 bytes after a 12-byte head: record 10 begins at byte 42.
    const bytes = emptyRecords(1_000);
    const inspector = new JsonDocumentInspector({ recordsKey: 'records', maxRecords: 10 });
    let pushed = 0;
    const error = exportErrorOf(() => {
      for (let start = 0; start < bytes.length; start += 8) {
        pushed += 1;
        inspector.push(bytes.subarray(start, start + 8));
      }
    });
    expect(error.code).toBe('EXPORT_TOO_MANY_ROWS');
    // Byte 42 is in chunk 6 (bytes 40 to 47).
    expect(pushed).toBe(6);
  });

  it('counts the records of other members as nothing', () => {
    const inspector = new JsonDocumentInspector({ recordsKey: 'records', maxRecords: 1 });
    inspector.push(Buffer.from('{"columns":[[1],[2],[3]],"records":[{}]}'));
    expect(inspector.finish().records).toMatchObject({ count: 1 });
  });

  it('refuses no records at all with maxRecords 0', () => {
    const inspector = new JsonDocumentInspector({ recordsKey: 'records', maxRecords: 0 });
    expect(exportErrorOf(() => inspector.push(emptyRecords(1)))).toMatchObject({
      code: 'EXPORT_TOO_MANY_ROWS',
      row: 0,
    });
  });

  it.each([-1, 1.5, '3', Number.NaN])(
    'rejects maxRecords %j with EXPORT_INVALID_OPTION',
    (value) => {
      const error = exportErrorOf(
        () => new JsonDocumentInspector({ recordsKey: 'records', maxRecords: value as number }),
      );
      expect(error.code).toBe('EXPORT_INVALID_OPTION');
      expect(error.message).toMatch(/^option `maxRecords` must be an integer >= 0, got /);
    },
  );
});

describe('JsonDocumentInspector option maxRecordBytes', () => {
  it('fails at the chunk where the open record passes the limit, before the record ends', () => {
    const head = Buffer.from('{"records":[{},{"a":"');
    const inspector = new JsonDocumentInspector({ recordsKey: 'records', maxRecordBytes: 100 });
    inspector.push(head);
    inspector.push(Buffer.alloc(50, 'x'));
    const error = exportErrorOf(() => inspector.push(Buffer.alloc(50, 'x')));
    expect(error).toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      row: 1,
      message: 'record 1 is longer than 100 bytes (option `maxRecordBytes`)',
    });
  });

  it('fails for a record that ends too long in one chunk, even if a later records array would replace it', () => {
    const text = `{"records":[{"a":"${'x'.repeat(20)}"}],"records":[]}`;
    const error = exportErrorOf(() =>
      inspectJsonDocument(Buffer.from(text), { recordsKey: 'records', maxRecordBytes: 10 }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 0 });
  });
});

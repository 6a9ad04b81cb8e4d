import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ndjsonUploadRecords } from '../src/exports/ndjson-upload.js';

const upload = () => Readable.from(['{"id":1}\n{"id":2}\n', '{"id":3}\n', '{"id":4}\n']);

describe('ndjsonUploadRecords', () => {
  it('yields the upload records in order', async () => {
    const records = [];
    for await (const record of ndjsonUploadRecords(upload(), 1024)) records.push(record);
    expect(records).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
  });

  it('leaves the upload open and its rest readable when the reader stops early', async () => {
    const source = upload();
    for await (const record of ndjsonUploadRecords(source, 1024)) {
      expect(record).toEqual({ id: 1 });
      break;
    }
    expect(source.destroyed).toBe(false);
    const rest = [];
    for await (const chunk of source) rest.push(String(chunk));
    expect(rest.join('')).toBe('{"id":3}\n{"id":4}\n');
  });

  it('names the line of a bad record, and still leaves the upload open', async () => {
    const source = Readable.from(['{"id":1}\nnot json\n{"id":3}\n']);
    const reading = async () => {
      for await (const _record of ndjsonUploadRecords(source, 1024));
    };
    await expect(reading()).rejects.toMatchObject({ code: 'EXPORT_INVALID_RECORD', line: 2 });
    expect(source.destroyed).toBe(false);
  });
});

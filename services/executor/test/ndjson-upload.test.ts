import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ndjsonUploadChunks } from '../src/exports/ndjson-upload.js';

const upload = () => Readable.from(['{"id":1}\n{"id":2}\n', '{"id":3}\n', '{"id":4}\n']);

describe('ndjsonUploadChunks', () => {
  it('yields the upload chunks in order', async () => {
    const chunks = [];
    for await (const chunk of ndjsonUploadChunks(upload())) chunks.push(String(chunk));
    expect(chunks.join('')).toBe('{"id":1}\n{"id":2}\n{"id":3}\n{"id":4}\n');
  });

  it('leaves the upload open and its rest readable when the reader stops early', async () => {
    const source = upload();
    for await (const chunk of ndjsonUploadChunks(source)) {
      expect(String(chunk)).toBe('{"id":1}\n{"id":2}\n');
      break;
    }
    expect(source.destroyed).toBe(false);
    const rest = [];
    for await (const chunk of source) rest.push(String(chunk));
    expect(rest.join('')).toBe('{"id":3}\n{"id":4}\n');
  });
});

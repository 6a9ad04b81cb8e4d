import { describe, expect, it } from 'vitest';
import { jsonBodyChunks, ndjsonChunks, tradeRecord } from '../src/generate-records.js';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe('generated records', () => {
  it('are the same for the same index', () => {
    expect(tradeRecord(7)).toEqual(tradeRecord(7));
    expect(tradeRecord(7)).not.toEqual(tradeRecord(8));
  });

  it('come as NDJSON, one line per record, in order', async () => {
    const lines = (await text(ndjsonChunks(1234))).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1234);
    expect(JSON.parse(lines[0] as string)).toEqual(tradeRecord(1));
    expect(JSON.parse(lines[1233] as string)).toEqual(tradeRecord(1234));
  });

  it('come as one JSON body with format, title and data', async () => {
    const body = JSON.parse(await text(jsonBodyChunks(1001, { format: 'pdf', title: 'T' })));
    expect(body.format).toBe('pdf');
    expect(body.title).toBe('T');
    expect(body.data).toHaveLength(1001);
    expect(body.data[1000]).toEqual(tradeRecord(1001));
  });

  it('hold text in several scripts and a formula-like note', () => {
    const traders = new Set(Array.from({ length: 5 }, (_, index) => tradeRecord(index).trader));
    expect([...traders].join(' ')).toMatch(/Ş.*Α.*Д.*Ł|Ł.*Ş/su);
    expect(tradeRecord(97).note.startsWith('=')).toBe(true);
  });
});

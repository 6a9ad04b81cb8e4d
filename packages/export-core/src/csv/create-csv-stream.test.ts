import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createCsvStream } from './create-csv-stream.js';
import { csvBytes, csvText } from './csv-test-helpers.js';

describe('createCsvStream', () => {
  it('writes a header from the keys of the first record, then one line per record', async () => {
    const text = await csvText([
      { id: 1, symbol: 'ACME', qty: 10 },
      { id: 2, symbol: 'INIT', qty: 5 },
    ]);
    expect(text).toBe('id,symbol,qty\r\n1,ACME,10\r\n2,INIT,5\r\n');
  });

  it('writes the columns in the order given, with their headers', async () => {
    const text = await csvText([{ id: 1, symbol: 'ACME', qty: 10 }], {
      columns: ['qty', { key: 'symbol', header: 'Ticker' }],
    });
    expect(text).toBe('qty,Ticker\r\n10,ACME\r\n');
  });

  it('reads array records by position', async () => {
    expect(
      await csvText(
        [
          [1, 'a'],
          [2, 'b'],
        ],
        { columns: ['n', 's'] },
      ),
    ).toBe('n,s\r\n1,a\r\n2,b\r\n');
  });

  it('writes the header even for zero records', async () => {
    expect(await csvText([], { columns: ['id', 'price'] })).toBe('id,price\r\n');
  });

  it('quotes delimiters, quotes, CR and LF as RFC 4180 says', async () => {
    const text = await csvText([{ a: 'x,y', b: 'say "hi"', c: 'two\nlines', d: 'cr\rhere' }]);
    expect(text).toBe('a,b,c,d\r\n"x,y","say ""hi""","two\nlines","cr\rhere"\r\n');
  });

  it('writes missing fields, null and undefined as empty cells', async () => {
    const text = await csvText([{ a: 1, b: null, c: undefined }, { a: 2 }]);
    expect(text).toBe('a,b,c\r\n1,,\r\n2,,\r\n');
  });

  it('writes values as text: dates ISO UTC, booleans, bigints, objects as JSON', async () => {
    const text = await csvText([
      { when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), ok: true, big: 2n ** 64n, tags: ['a', 'b'] },
    ]);
    expect(text).toBe(
      'when,ok,big,tags\r\n2026-01-02T03:04:05.000Z,true,18446744073709551616,"[""a"",""b""]"\r\n',
    );
  });

  it('writes non-finite numbers in JavaScript spelling', async () => {
    const text = await csvText([{ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: -Infinity }]);
    expect(text).toBe('a,b,c\r\nNaN,Infinity,-Infinity\r\n');
  });

  it('uses a column format function', async () => {
    const text = await csvText([{ pnl: 1234.5 }], {
      columns: [{ key: 'pnl', format: (value) => (value as number).toFixed(2) }],
    });
    expect(text).toBe('pnl\r\n1234.50\r\n');
  });

  it('drops NUL characters, which fast-csv does not write', async () => {
    expect(await csvText([{ a: 'x\u0000y' }])).toBe('a\r\nxy\r\n');
  });

  it('writes UTF-8 text as is', async () => {
    const bytes = await csvBytes([{ name: 'İstanbul Şişli ğüöç', greek: 'Αθήνα', emoji: '📈' }]);
    expect(bytes.toString('utf8')).toBe('name,greek,emoji\r\nİstanbul Şişli ğüöç,Αθήνα,📈\r\n');
  });

  it('writes an empty file for zero records and no columns: there is no header to know', async () => {
    expect(await csvText([])).toBe('');
  });

  it('writes only the BOM for zero records and no columns when the BOM is on', async () => {
    expect((await csvBytes([], { profile: 'excel' })).toString('hex')).toBe('efbbbf');
  });

  it('fails with EXPORT_NO_COLUMNS when the first record has no fields to take them from', async () => {
    await expect(csvText([{}])).rejects.toMatchObject({ code: 'EXPORT_NO_COLUMNS' });
  });

  it('fails with EXPORT_INVALID_RECORD naming the index of a record that is not an object', async () => {
    await expect(csvText([{ a: 1 }, { a: 2 }, 'oops'])).rejects.toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      row: 2,
      message: 'record 2 must be an object or an array, got "oops"',
    });
  });

  it('stops emitting after its first error', async () => {
    const events: string[] = [];
    const stream = createCsvStream({ columns: ['a'] });
    stream.on('data', (chunk: Buffer) => events.push(`data ${chunk.toString()}`));
    const failed = new Promise((resolve) => stream.once('error', resolve));
    stream.on('error', () => events.push('error'));
    stream.write({ a: 1 });
    stream.write('not a record');
    stream.write({ a: 3 });
    expect(await failed).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.slice(events.indexOf('error'))).toEqual(['error']);
    expect(events.join('')).not.toContain('3');
  });

  it('hands the destination batches of many rows, not a chunk per row', async () => {
    const chunks: Buffer[] = [];
    const stream = createCsvStream({ columns: ['id'] });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => stream.once('end', resolve));
    for (let id = 0; id < 10_000; id += 1) stream.write({ id });
    stream.end();
    await ended;
    expect(Buffer.concat(chunks).toString().split('\r\n')).toHaveLength(10_002);
    expect(chunks.length).toBeLessThan(10);
  });

  it('fails with EXPORT_INVALID_OPTION at creation for bad columns', () => {
    expect(() => createCsvStream({ columns: [] })).toThrowError(
      expect.objectContaining({ code: 'EXPORT_NO_COLUMNS' }),
    );
    expect(() => createCsvStream({ columns: [{ key: 'a', width: -1 }] })).toThrowError(
      expect.objectContaining({ code: 'EXPORT_INVALID_OPTION' }),
    );
  });

  it('pulls records only as fast as the destination takes bytes', async () => {
    let pulled = 0;
    const source = Readable.from(
      (function* records() {
        for (let index = 0; index < 100_000; index += 1) {
          pulled += 1;
          yield { id: index, text: 'x'.repeat(100) };
        }
      })(),
    );
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    let received = 0;
    const slowSink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        // Take the first chunk, then stall until the test has looked at the counts.
        if (received > chunk.length) stalled.then(() => callback());
        else callback();
      },
    });
    const done = pipeline(source, createCsvStream(), slowSink);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pulled).toBeLessThan(1_000);
    release();
    await done;
    expect(pulled).toBe(100_000);
  });
});

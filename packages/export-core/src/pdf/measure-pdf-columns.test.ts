import { describe, expect, it } from 'vitest';
import { ExactNumber } from '../values/exact-number.js';
import { measurePdfColumns } from './measure-pdf-columns.js';

async function* asyncOf<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

describe('measurePdfColumns', () => {
  it('gives every field of every record, in the order first seen, as the columns', async () => {
    const measured = await measurePdfColumns(asyncOf([{ a: 1 }, { b: 'x', a: 2 }, { c: null }]));
    expect(measured.columns).toEqual(['a', 'b', 'c']);
    expect(Object.keys(measured.measuredWidths)).toEqual(['a', 'b', 'c']);
  });

  it('measures numbers and text apart, over every record, in 1/1000 em', async () => {
    const records = [
      ...Array.from({ length: 500 }, () => ({ price: 1.5, note: 'a' })),
      { price: new ExactNumber('12345678901234567890.5'), note: 'a longer note' },
    ];
    const { measuredWidths } = await measurePdfColumns(records);
    const price = measuredWidths.price;
    const note = measuredWidths.note;
    // DejaVu Sans digits are 636/1000 em wide.
    expect(price?.number).toBeGreaterThan(20 * 636);
    expect(price).toMatchObject({ text: 0, numbersOnly: true });
    expect(note).toMatchObject({ number: 0, numbersOnly: false });
    expect(note?.text).toBeGreaterThan(5_000);
  });

  it('counts a field some records lack as its nullText', async () => {
    const withNull = await measurePdfColumns([{ a: 1, b: 1 }, { a: 1 }], {
      nullText: 'not available',
    });
    expect(withNull.measuredWidths.b?.text).toBeGreaterThan(5_000);
    const without = await measurePdfColumns([{ a: 1, b: 1 }, { a: 1 }]);
    expect(without.measuredWidths.b?.text).toBe(0);
  });

  it('measures the given columns as the writer reads them: typed, by key or position', async () => {
    const { columns, measuredWidths } = await measurePdfColumns(
      [
        ['1.50', 'x'],
        ['1234567.5', 'y'],
      ],
      { columns: [{ key: 'amount', type: 'decimal' }, 'tag'] },
    );
    expect(columns).toBeUndefined();
    expect(measuredWidths.amount?.number).toBeGreaterThan(8 * 636);
    expect(measuredWidths.amount?.text).toBe(0);
    expect(measuredWidths.tag?.text).toBeGreaterThan(0);
  });

  it('leaves the columns to the writer when a record is not an object', async () => {
    const measured = await measurePdfColumns([{ a: 1 }, 42, { b: 2 }]);
    expect(measured.columns).toBeUndefined();
  });

  it('skips a value it cannot write: the export fails on it, with its row', async () => {
    const measured = await measurePdfColumns([{ at: 'x' }, { at: 5 }], {
      columns: [{ key: 'at', type: 'boolean' }],
    });
    expect(measured.measuredWidths.at).toEqual({ text: 0, number: 0, numbersOnly: false });
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { ExportError } from '../errors.js';
import { defined } from '../test-helpers/defined.js';
import { assertRecord, cellText } from './cell-text.js';

describe('cellText', () => {
  it('reads an object record by key', () => {
    const [column] = normalizeColumns(['price']);
    expect(cellText(defined(column), 0, { price: 9.5 }, 0)).toBe('9.5');
  });

  it('reads an array record by position', () => {
    const columns = normalizeColumns(undefined, ['a', 'b']);
    expect(cellText(defined(columns[1]), 1, ['a', 'b'], 0)).toBe('b');
  });

  it('reads an array record by column position when the key is a name', () => {
    const columns = normalizeColumns(['id', 'name']);
    expect(cellText(defined(columns[1]), 1, [1, 'ACME'], 0)).toBe('ACME');
  });

  it('uses the column format function with the value and the record', () => {
    const [column] = normalizeColumns([
      { key: 'pnl', format: (value, record) => `${value} ${(record as { ccy: string }).ccy}` },
    ]);
    expect(cellText(defined(column), 0, { pnl: 3, ccy: 'EUR' }, 0)).toBe('3 EUR');
  });

  it('fails with EXPORT_INVALID_RECORD naming the row and column for a value with no text', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const [column] = normalizeColumns(['meta']);
    let caught: unknown;
    try {
      cellText(defined(column), 0, { meta: circular }, 7);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExportError);
    expect(caught).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 7 });
    expect((caught as Error).message).toMatch(/^record 7 has a value in column `meta`/);
  });
});

describe('assertRecord', () => {
  it('accepts objects and arrays', () => {
    expect(() => assertRecord({}, 0)).not.toThrow();
    expect(() => assertRecord([], 0)).not.toThrow();
  });

  it.each([null, 'row', 5, undefined])(
    'rejects %j with EXPORT_INVALID_RECORD naming the row',
    (record) => {
      expect(() => assertRecord(record, 12)).toThrowError(
        expect.objectContaining({ code: 'EXPORT_INVALID_RECORD', row: 12 }),
      );
    },
  );
});

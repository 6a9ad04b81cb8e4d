import { describe, expect, it } from 'vitest';
import { rememberKeyOrder } from '../source/source-key-order.js';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import { normalizeColumns } from './normalize-columns.js';

describe('normalizeColumns', () => {
  it('takes the keys of the first record, in order, when no columns are given', () => {
    const columns = normalizeColumns(undefined, { id: 1, timestamp: 'x', value: 2.5 });
    expect(columns.map((column) => [column.key, column.header])).toEqual([
      ['id', 'id'],
      ['timestamp', 'timestamp'],
      ['value', 'value'],
    ]);
  });

  it('takes the positions of an array record as keys', () => {
    const columns = normalizeColumns(undefined, ['a', 'b']);
    expect(columns.map((column) => column.key)).toEqual(['0', '1']);
  });

  it('turns a string into a column whose header is its key', () => {
    const [column] = normalizeColumns(['price']);
    expect(column).toEqual({
      key: 'price',
      header: 'price',
      width: undefined,
      align: undefined,
      type: undefined,
      timeZone: 'UTC',
      nullText: '',
      format: undefined,
    });
  });

  it('keeps header, width, align and format of a column object', () => {
    const format = (value: unknown) => String(value);
    const [column] = normalizeColumns([
      { key: 'pnl', header: 'PnL (USD)', width: 80, align: 'right', format },
    ]);
    expect(column).toEqual({
      key: 'pnl',
      header: 'PnL (USD)',
      width: 80,
      align: 'right',
      type: undefined,
      timeZone: 'UTC',
      nullText: '',
      format,
    });
  });

  it('keeps a type and a time zone, and takes the defaults of the export otherwise', () => {
    const [own, shared] = normalizeColumns(
      [{ key: 'at', type: 'datetime', timeZone: 'Europe/Istanbul' }, 'day'],
      undefined,
      { timeZone: 'America/New_York', nullText: 'NULL' },
    );
    expect(own).toMatchObject({ type: 'datetime', timeZone: 'Europe/Istanbul', nullText: 'NULL' });
    expect(shared).toMatchObject({ type: undefined, timeZone: 'America/New_York' });
  });

  it.each([
    [[{ key: 'a', type: 'money' }], 'columns[0].type'],
    [[{ key: 'a', timeZone: 'Mars/Olympus' }], 'columns[0].timeZone'],
  ])('refuses %j naming %s', (columns, option) => {
    expect(() => normalizeColumns(columns as never)).toThrow(
      expect.objectContaining({
        code: 'EXPORT_INVALID_OPTION',
        message: expect.stringContaining(option),
      }),
    );
  });

  it('refuses an unknown time zone for the export', () => {
    expect(() => normalizeColumns(['a'], undefined, { timeZone: 'Nowhere' })).toThrow(
      expect.objectContaining({
        code: 'EXPORT_INVALID_OPTION',
        message: expect.stringContaining('`timeZone`'),
      }),
    );
  });

  // Replays issue 15: a first record written name,2024,2023,id gave the header 2023,2024,name,id.
  it('takes the keys in the order the source wrote them, integer-like keys included', () => {
    const record = { name: 'a', 2024: 1, 2023: 2, id: 3 };
    rememberKeyOrder(record, ['name', '2024', '2023', 'id']);
    expect(normalizeColumns(undefined, record).map((column) => column.key)).toEqual([
      'name',
      '2024',
      '2023',
      'id',
    ]);
  });

  it('returns frozen columns so writers cannot change them', () => {
    const columns = normalizeColumns(['a']);
    expect(Object.isFrozen(columns)).toBe(true);
    expect(Object.isFrozen(columns[0])).toBe(true);
  });

  it('fails with EXPORT_NO_COLUMNS for an empty columns array', () => {
    const error = exportErrorOf(() => normalizeColumns([]));
    expect(error.code).toBe('EXPORT_NO_COLUMNS');
    expect(error.message).toBe('option `columns` must name at least one column');
  });

  it('fails with EXPORT_NO_COLUMNS when there are neither columns nor a first record', () => {
    expect(exportErrorOf(() => normalizeColumns(undefined)).code).toBe('EXPORT_NO_COLUMNS');
  });

  it('fails with EXPORT_NO_COLUMNS when the first record has no fields', () => {
    expect(exportErrorOf(() => normalizeColumns(undefined, {})).code).toBe('EXPORT_NO_COLUMNS');
  });

  it('fails with EXPORT_INVALID_RECORD naming record 0 when it is not an object', () => {
    const error = exportErrorOf(() => normalizeColumns(undefined, 42));
    expect(error.code).toBe('EXPORT_INVALID_RECORD');
    expect(error.message).toBe('record 0 must be an object or an array, got 42');
  });

  it.each([
    [{ key: '' }, 'option `columns[0].key` must be a non-empty string, got ""'],
    [{ key: 'a', header: 7 }, 'option `columns[0].header` must be a string, got 7'],
    [{ key: 'a', width: -1 }, 'option `columns[0].width` must be a positive number, got -1'],
    [
      { key: 'a', width: Number.NaN },
      'option `columns[0].width` must be a positive number, got NaN',
    ],
    [
      { key: 'a', align: 'middle' },
      'option `columns[0].align` must be one of left, center, right, got "middle"',
    ],
    [{ key: 'a', format: 'upper' }, 'option `columns[0].format` must be a function, got "upper"'],
  ])('fails with EXPORT_INVALID_OPTION for the column %j', (column, message) => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input from an untyped caller
    const error = exportErrorOf(() => normalizeColumns([column as any]));
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toBe(message);
  });

  it('names the position of the bad column', () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input from an untyped caller
    const error = exportErrorOf(() => normalizeColumns(['a', 'b', null as any]));
    expect(error.message).toMatch(/^option `columns\[2\]` must be a string or/);
  });

  it('fails with EXPORT_INVALID_OPTION when columns is not an array', () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input from an untyped caller
    const error = exportErrorOf(() => normalizeColumns('a,b' as any));
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toBe('option `columns` must be an array, got "a,b"');
  });
});

import { describe, expect, it } from 'vitest';
import { csvText } from '../csv/csv-test-helpers.js';
import { ExactNumber } from './exact-number.js';
import { typedValueText } from './typed-value-text.js';

const instant = new Date(Date.UTC(2026, 11, 2, 21, 30, 5, 7));

describe('typed columns', () => {
  it.each<[string, Parameters<typeof typedValueText>[0], unknown, string]>([
    ['a bigint integer', 'integer', 9223372036854775807n, '9223372036854775807'],
    ['a numeric string integer, exactly', 'integer', '-00123', '-00123'],
    ['a decimal string, exactly', 'decimal', '1234567889.12345678', '1234567889.12345678'],
    ['an ExactNumber decimal', 'decimal', new ExactNumber('100.10'), '100.10'],
    ['a number decimal', 'decimal', -3.5, '-3.5'],
    ['a boolean', 'boolean', false, 'false'],
    ['a date in UTC', 'date', instant, '2026-12-02'],
    ['a datetime in UTC', 'datetime', instant, '2026-12-02T21:30:05.007Z'],
    [
      'a datetime from epoch milliseconds',
      'datetime',
      instant.getTime(),
      '2026-12-02T21:30:05.007Z',
    ],
    [
      'a datetime string as given',
      'datetime',
      '2026-12-02 21:30:05.123456+00',
      '2026-12-02 21:30:05.123456+00',
    ],
  ])('writes %s', (_name, type, value, text) => {
    expect(typedValueText(type, value, 'UTC')).toBe(text);
  });

  it('writes dates in the time zone with its offset', () => {
    expect(typedValueText('datetime', instant, 'Europe/Istanbul')).toBe(
      '2026-12-03T00:30:05.007+03:00',
    );
    expect(typedValueText('date', instant, 'Europe/Istanbul')).toBe('2026-12-03');
    expect(typedValueText('datetime', instant, 'America/New_York')).toBe(
      '2026-12-02T16:30:05.007-05:00',
    );
  });

  it.each<[Parameters<typeof typedValueText>[0], unknown]>([
    ['integer', 1.5],
    ['integer', 'abc'],
    ['decimal', '=1+1'],
    ['decimal', Number.NaN],
    ['boolean', 'yes'],
    ['datetime', { at: 1 }],
  ])('refuses a %s column value %j', (type, value) => {
    expect(() => typedValueText(type, value, 'UTC')).toThrow(TypeError);
  });

  it('fails the export with the row and the column for a value its type cannot hold', async () => {
    await expect(
      csvText([{ qty: 1 }, { qty: 'ten' }], { columns: [{ key: 'qty', type: 'integer' }] }),
    ).rejects.toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1, message: /column `qty`/ });
  });

  it('never guards a decimal column, and guards a text column in excel', async () => {
    const columns = [
      { key: 'pnl', type: 'decimal' as const },
      { key: 'note', type: 'text' as const },
    ];
    expect(
      await csvText([{ pnl: '-3.12345678', note: '-2+3+cmd' }], {
        profile: 'excel',
        bom: false,
        columns,
      }),
    ).toBe("pnl,note\r\n-3.12345678,'-2+3+cmd\r\n");
  });

  it('writes null and a missing field as nullText, and an empty string as empty', async () => {
    expect(
      await csvText([{ a: null, b: '' }, { b: 'x' }], { nullText: 'NULL', columns: ['a', 'b'] }),
    ).toBe('a,b\r\nNULL,\r\nNULL,x\r\n');
  });

  it('writes a Date without a column type in the export time zone', async () => {
    expect(await csvText([{ at: instant }], { timeZone: 'Asia/Tokyo' })).toBe(
      'at\r\n2026-12-03T06:30:05.007+09:00\r\n',
    );
  });
});

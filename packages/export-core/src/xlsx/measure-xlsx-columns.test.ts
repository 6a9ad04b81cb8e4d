import { describe, expect, it } from 'vitest';
import { ExportError } from '../errors.js';
import { measureXlsxColumns } from './measure-xlsx-columns.js';

function* rows(count: number, wideAt: number) {
  for (let row = 0; row < count; row += 1) {
    yield { id: row, note: row === wideAt ? 'a note of thirty-one characters' : 'short' };
  }
}

describe('measureXlsxColumns', () => {
  it('measures every record, not only the first 100, in characters as shown', async () => {
    expect(await measureXlsxColumns(rows(500, 400))).toEqual({
      columns: ['id', 'note'],
      measuredWidths: { id: 3, note: 31 },
    });
  });

  it('takes every field of every record as a column, in the order first seen', async () => {
    const measured = await measureXlsxColumns([{ a: 1 }, { b: 'two', a: 22 }, { c: true }]);
    expect(measured).toEqual({ columns: ['a', 'b', 'c'], measuredWidths: { a: 2, b: 3, c: 4 } });
  });

  it('measures given columns as the writer shows them: types, dates, nullText', async () => {
    const measured = await measureXlsxColumns(
      [
        { at: '2026-12-02T09:30:00Z', day: '2026-12-02', missing: null },
        { at: null, day: null },
      ],
      {
        columns: [{ key: 'at', type: 'datetime' }, { key: 'day', type: 'date' }, 'missing'],
        nullText: 'NULL',
      },
    );
    expect(measured).toEqual({
      columns: undefined,
      measuredWidths: { at: 19, day: 10, missing: 4 },
    });
  });

  it('caps a width at 60 characters, and counts an emoji as one', async () => {
    const measured = await measureXlsxColumns([{ long: 'x'.repeat(10_000), emoji: '🚀🚀' }]);
    expect(measured.measuredWidths).toEqual({ long: 60, emoji: 2 });
  });

  it('refuses a bad measuredWidths option with a coded error naming it', async () => {
    await expect(
      measureXlsxColumns([{ a: 1 }], { measuredWidths: { a: -1 } }),
    ).rejects.toMatchObject({
      code: 'EXPORT_INVALID_OPTION',
      message:
        'option `xlsx.measuredWidths.a` must be a number of characters of at least 0, got -1',
    });
    await expect(
      measureXlsxColumns([{ a: 1 }], { measuredWidths: [] as never }),
    ).rejects.toBeInstanceOf(ExportError);
  });
});

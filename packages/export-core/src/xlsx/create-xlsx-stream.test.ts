import { readWithLibreOffice, readXlsx, values } from '@org/test-xlsx';
import { describe, expect, it } from 'vitest';
import { ExactNumber } from '../values/exact-number.js';
import { writeXlsx } from './test-helpers/write-xlsx.js';

async function cellsOf(records: unknown[], options?: Parameters<typeof writeXlsx>[1]) {
  const book = await readXlsx((await writeXlsx(records, options)).bytes);
  return book.sheets[0]?.rows.slice(1) ?? [];
}

describe('createXlsxStream, read back by openpyxl', () => {
  it('writes a header from the first record, then one row per record', async () => {
    const book = await readXlsx(
      (
        await writeXlsx([
          { id: 1, symbol: 'ACME' },
          { id: 2, symbol: 'INIT' },
        ])
      ).bytes,
    );
    expect(book.sheets.map((sheet) => sheet.title)).toEqual(['Sheet1']);
    expect(values(book.sheets[0])).toEqual([
      ['id', 'symbol'],
      [1, 'ACME'],
      [2, 'INIT'],
    ]);
  });

  it('writes finite numbers as numbers, and booleans as booleans', async () => {
    const [row] = await cellsOf([{ int: 42, float: -0.125, big: 1e21, yes: true, no: false }]);
    expect(row).toEqual([
      { type: 'int', value: 42 },
      { type: 'float', value: -0.125 },
      { type: 'float', value: 1e21 },
      { type: 'bool', value: true },
      { type: 'bool', value: false },
    ]);
  });

  it('keeps text that looks like a formula or a number with leading zeros as text, unchanged', async () => {
    const [row] = await cellsOf([
      { formula: '=HYPERLINK("x")', plus: '+1', zeros: '00123', digits: '42' },
    ]);
    expect(row).toEqual([
      { type: 'str', value: '=HYPERLINK("x")' },
      { type: 'str', value: '+1' },
      { type: 'str', value: '00123' },
      { type: 'str', value: '42' },
    ]);
  });

  it('writes numbers a double would change as text, with every digit', async () => {
    const [row] = await cellsOf([
      {
        bigint: 12345678901234567890n,
        small: 9007199254740991n,
        exact: new ExactNumber('0.1000000000000000055'),
        huge: new ExactNumber('1e400'),
        fine: new ExactNumber('100.10'),
      },
    ]);
    expect(row).toEqual([
      { type: 'str', value: '12345678901234567890' },
      { type: 'str', value: '9007199254740991' },
      { type: 'str', value: '0.1000000000000000055' },
      { type: 'str', value: '1e400' },
      { type: 'float', value: 100.1 },
    ]);
  });

  it('makes numeric strings of integer and decimal columns numbers when exact, else text', async () => {
    const columns = [
      { key: 'qty', type: 'integer' as const },
      { key: 'pnl', type: 'decimal' as const },
      { key: 'id', type: 'integer' as const },
    ];
    const [row] = await cellsOf([{ qty: '-00123', pnl: '1234.5', id: '123456789012345678' }], {
      columns,
    });
    expect(row).toEqual([
      { type: 'int', value: -123 },
      { type: 'float', value: 1234.5 },
      { type: 'str', value: '123456789012345678' },
    ]);
  });

  it('writes date and datetime columns as dates with the wall time of the time zone', async () => {
    const instant = new Date(Date.UTC(2026, 11, 2, 21, 30, 5));
    const columns = [
      { key: 'day', type: 'date' as const },
      { key: 'at', type: 'datetime' as const },
      { key: 'text', type: 'datetime' as const },
      { key: 'local', type: 'datetime' as const },
      'untyped',
    ];
    const record = {
      day: instant,
      at: instant.getTime(),
      text: '2026-12-02T21:30:05Z',
      local: '2026-12-02 09:15',
      untyped: instant,
    };
    const book = await readXlsx(
      (await writeXlsx([record], { columns, timeZone: 'Europe/Istanbul' })).bytes,
    );
    expect(book.sheets[0]?.rows[1]).toEqual([
      { type: 'datetime', value: '2026-12-03T00:00:00' },
      { type: 'datetime', value: '2026-12-03T00:30:05' },
      { type: 'datetime', value: '2026-12-03T00:30:05' },
      { type: 'datetime', value: '2026-12-02T09:15:00' },
      { type: 'datetime', value: '2026-12-03T00:30:05' },
    ]);
    expect(book.sheets[0]?.numberFormats[0]).toEqual([
      'yyyy-mm-dd',
      'yyyy-mm-dd hh:mm:ss',
      'yyyy-mm-dd hh:mm:ss',
      'yyyy-mm-dd hh:mm:ss',
      'yyyy-mm-dd hh:mm:ss',
    ]);
  });

  it('writes dates Excel cannot show, and strings that are no ISO date, as text', async () => {
    const columns = [
      { key: 'old', type: 'date' as const },
      { key: 'word', type: 'date' as const },
    ];
    const [row] = await cellsOf([{ old: new Date(Date.UTC(1800, 0, 1)), word: 'tomorrow' }], {
      columns,
    });
    expect(row).toEqual([
      { type: 'str', value: '1800-01-01' },
      { type: 'str', value: 'tomorrow' },
    ]);
  });

  it('writes null and a missing field as an empty cell, or as the nullText', async () => {
    const columns = ['id', 'a', 'b', 'c'];
    expect(await cellsOf([{ id: 1, a: null, b: '' }], { columns })).toEqual([
      [
        { type: 'int', value: 1 },
        { type: 'NoneType', value: null },
        { type: 'NoneType', value: null },
        { type: 'NoneType', value: null },
      ],
    ]);
    expect(await cellsOf([{ id: 1, a: null, b: 'x' }], { columns, nullText: 'NULL' })).toEqual([
      [
        { type: 'int', value: 1 },
        { type: 'str', value: 'NULL' },
        { type: 'str', value: 'x' },
        { type: 'str', value: 'NULL' },
      ],
    ]);
  });

  it('keeps Turkish, Greek, CJK and emoji intact', async () => {
    const text = ['Şükrü Çağlar İĞ ıi', 'Αλέξανδρος', '東京都 한국어', '👩‍💻 🇹🇷 😀'];
    const [row] = await cellsOf([
      Object.fromEntries(text.map((value, index) => [`c${index}`, value])),
    ]);
    expect(row?.map((cell) => cell.value)).toEqual(text);
  });

  it('writes characters XML cannot hold as _xHHHH_ escapes, which openpyxl leaves as written', async () => {
    // openpyxl 3.0 does not decode Excel's escapes in inline strings (Excel does): it shows the
    // escape itself, and the literal `_x0041_` in the text as its own escape, `_x005F_x0041_`.
    const [row] = await cellsOf([
      { control: 'a\u0001b\u001Fc', kept: 'tab\tLF\nCR\r', lone: 'x\uD800y', literal: '_x0041_' },
    ]);
    expect(row?.map((cell) => cell.value)).toEqual([
      'a_x0001_b_x001F_c',
      'tab\tLF\nCR\r',
      'x_xD800_y',
      '_x005F_x0041_',
    ]);
  });

  it('writes escapes that a spreadsheet (LibreOffice) reads back as the very text', async () => {
    const record = {
      nul: 'a\u0000b',
      control: 'a\u0001b\u001Fc\u000Bd',
      noncharacter: 'x\uFFFEy\uFFFFz',
      kept: 'tab\tLF\nCR\r',
      literal: '_x0041_ and _X0041_',
    };
    const [sheet] = await readWithLibreOffice((await writeXlsx([record])).bytes);
    // LibreOffice holds every line break in a cell as LF, so it reads the CR as one.
    const shown = { ...record, kept: 'tab\tLF\nCR\n' };
    expect(sheet?.rows).toEqual([Object.keys(record), Object.values(shown)]);
  }, 60_000);

  it('keeps leading and trailing spaces', async () => {
    const [row] = await cellsOf([{ padded: '  two  ', line: '\nx' }]);
    expect(row?.map((cell) => cell.value)).toEqual(['  two  ', '\nx']);
  });

  it('cuts a string past 32,767 characters with "…" to 32,767, and counts it', async () => {
    const { bytes, truncatedCells } = await writeXlsx([{ id: 1, note: 'x'.repeat(40_000) }]);
    const book = await readXlsx(bytes);
    const note = book.sheets[0]?.rows[1]?.[1]?.value as string;
    expect(note).toHaveLength(32_767);
    expect(note).toBe(`${'x'.repeat(32_766)}…`);
    expect(truncatedCells).toEqual({ count: 1, columns: ['note'] });
  });

  it('writes a bold, frozen header with a filter over the rows, and the document properties', async () => {
    const { bytes } = await writeXlsx(
      [
        { id: 1, name: 'ACME' },
        { id: 2, name: 'INIT' },
      ],
      {
        title: 'Trades',
        author: 'alice',
      },
    );
    const book = await readXlsx(bytes);
    expect(book.sheets[0]).toMatchObject({
      freezePanes: 'A2',
      autoFilter: 'A1:B3',
      boldHeader: [true, true],
    });
    expect(book).toMatchObject({ title: 'Trades', creator: 'alice' });
  });

  it('writes a control character in the title or author as a space, and keeps an _xHHHH_ as typed', async () => {
    // Document properties are plain XML text: no reader decodes the cells' `_xHHHH_` there.
    const { bytes } = await writeXlsx([{ id: 1 }], {
      title: 'Q3\u0001report\r\n_x0041_ & <PnL>',
      author: 'al\u0000ice \uD800',
    });
    expect(await readXlsx(bytes)).toMatchObject({
      title: 'Q3 report\r\n_x0041_ & <PnL>',
      creator: 'al ice \uFFFD',
    });
  });

  it('sets column widths from the header and the first records, capped at 60 characters', async () => {
    const { bytes } = await writeXlsx([
      { id: 1, name: 'a name of twenty-one', note: 'n'.repeat(500), at: new Date(0) },
    ]);
    const { widths } = (await readXlsx(bytes)).sheets[0] ?? { widths: {} };
    expect(widths).toEqual({ A: 6, B: 22, C: 60, D: 21 });
  });

  it('widens a column to measuredWidths, the widest cell over every record, never narrows it', async () => {
    const records = [{ id: 1, name: 'a name of twenty-one' }];
    const { bytes } = await writeXlsx(records, { measuredWidths: { id: 15, name: 3 } });
    const { widths } = (await readXlsx(bytes)).sheets[0] ?? { widths: {} };
    expect(widths).toEqual({ A: 17, B: 22 });
  });

  it('names the sheets after the sheetName option', async () => {
    const { bytes } = await writeXlsx([{ id: 1 }, { id: 2 }], {
      sheetName: 'Trades',
      maxRowsPerSheet: 2,
    });
    expect((await readXlsx(bytes)).sheets.map((sheet) => sheet.title)).toEqual([
      'Trades',
      'Trades (2)',
    ]);
  });
});

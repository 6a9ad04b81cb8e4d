import { readXlsx, values, xlsxParts } from '@org/test-xlsx';
import { describe, expect, it } from 'vitest';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { writeXlsx } from './test-helpers/write-xlsx.js';

describe('hostile input', () => {
  it('cuts a 10 MB cell to 32,767 characters and still writes a valid file', async () => {
    const { bytes, truncatedCells } = await writeXlsx([{ id: 1, blob: 'é'.repeat(10_000_000) }]);
    const book = await readXlsx(bytes);
    expect(book.sheets[0]?.rows[1]?.[1]?.value).toBe(`${'é'.repeat(32_766)}…`);
    expect(book.parts['xl/worksheets/sheet1.xml']).toBe('well-formed');
    expect(truncatedCells.count).toBe(1);
  });

  it('never cuts an emoji in half', async () => {
    const { bytes } = await writeXlsx([{ text: `${'x'.repeat(32_765)}😀😀` }]);
    const text = (await readXlsx(bytes)).sheets[0]?.rows[1]?.[0]?.value as string;
    expect(text).toBe(`${'x'.repeat(32_765)}…`);
  });

  it('writes 5,000 columns', async () => {
    const record = Object.fromEntries(
      Array.from({ length: 5_000 }, (_, index) => [`c${index}`, index]),
    );
    const { bytes } = await writeXlsx([record]);
    const [header, row] = values((await readXlsx(bytes)).sheets[0]);
    expect(header).toHaveLength(5_000);
    expect(row?.at(-1)).toBe(4_999);
    expect(xlsxParts(bytes)['xl/worksheets/sheet1.xml']).toContain('<autoFilter ref="A1:GJH2"/>');
  });

  it('fails more than 16,384 columns with EXPORT_TABLE_TOO_WIDE, naming the limit', async () => {
    const record = Object.fromEntries(
      Array.from({ length: 16_385 }, (_, index) => [`c${index}`, 1]),
    );
    const error = await exportRejectionOf(() => writeXlsx([record]));
    expect(error).toMatchObject({
      code: 'EXPORT_TABLE_TOO_WIDE',
      message: 'the table has 16385 columns, and an XLSX sheet holds at most 16,384',
    });
  });

  it('fails a record that is not an object with EXPORT_INVALID_RECORD, naming its row', async () => {
    const error = await exportRejectionOf(() => writeXlsx([{ a: 1 }, 'row']));
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1 });
  });

  it('fails a value its column type cannot hold, naming the row and the column', async () => {
    const records = Array.from({ length: 150 }, (_, index) => ({
      qty: index === 120 ? 'ten' : index,
    }));
    const error = await exportRejectionOf(() =>
      writeXlsx(records, { columns: [{ key: 'qty', type: 'integer' }] }),
    );
    expect(error).toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      row: 120,
      message: /column `qty`/,
    });
  });
});

describe('zero records', () => {
  it('make a workbook with the header only, when the columns are known', async () => {
    const book = await readXlsx((await writeXlsx([], { columns: ['id', 'name'] })).bytes);
    expect(book.sheets.map(values)).toEqual([[['id', 'name']]]);
    expect(book.sheets[0]).toMatchObject({ freezePanes: 'A2', autoFilter: 'A1:B1' });
  });

  it('make an empty sheet when no columns are known', async () => {
    const book = await readXlsx((await writeXlsx([])).bytes);
    expect(book.sheets).toMatchObject([
      { title: 'Sheet1', rows: [], freezePanes: null, autoFilter: null },
    ]);
  });
});

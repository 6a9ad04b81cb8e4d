import { readWithLibreOffice, readXlsx, values, xlsxParts } from '@org/test-xlsx';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from './test-helpers/write-xlsx.js';
import { xlsxLimits } from './xlsx-limits.js';

function* numbered(count: number) {
  for (let n = 1; n <= count; n += 1) yield { n };
}

describe("rows past a sheet's limit", () => {
  it('go on to new sheets, each with the header, every row once and in order', async () => {
    const { bytes } = await writeXlsx(numbered(7), { maxRowsPerSheet: 3 });
    const book = await readXlsx(bytes);
    expect(book.sheets.map((sheet) => sheet.title)).toEqual([
      'Sheet1',
      'Sheet2',
      'Sheet3',
      'Sheet4',
    ]);
    expect(book.sheets.map(values)).toEqual([
      [['n'], [1], [2]],
      [['n'], [3], [4]],
      [['n'], [5], [6]],
      [['n'], [7]],
    ]);
    for (const sheet of book.sheets) {
      expect(sheet).toMatchObject({ freezePanes: 'A2', boldHeader: [true] });
    }
    expect(book.sheets.map((sheet) => sheet.autoFilter)).toEqual([
      'A1:A3',
      'A1:A3',
      'A1:A3',
      'A1:A2',
    ]);
    expect(await readWithLibreOffice(bytes)).toEqual([
      { name: 'Sheet1', rows: [['n'], ['1'], ['2']] },
      { name: 'Sheet2', rows: [['n'], ['3'], ['4']] },
      { name: 'Sheet3', rows: [['n'], ['5'], ['6']] },
      { name: 'Sheet4', rows: [['n'], ['7']] },
    ]);
  });

  it('fill a sheet exactly, without an empty sheet after it', async () => {
    const { bytes } = await writeXlsx(numbered(4), { maxRowsPerSheet: 3 });
    expect((await readXlsx(bytes)).sheets.map(values)).toEqual([
      [['n'], [1], [2]],
      [['n'], [3], [4]],
    ]);
  });

  it(`at Excel's limit: ${xlsxLimits.maxRowsPerSheet.toLocaleString('en-US')} records make two sheets`, async () => {
    const records = xlsxLimits.maxRowsPerSheet;
    const parts = xlsxParts((await writeXlsx(numbered(records))).bytes);
    const first = parts['xl/worksheets/sheet1.xml'] ?? '';
    const second = parts['xl/worksheets/sheet2.xml'] ?? '';
    // The header and 1,048,575 records, then the header and the last record.
    expect(first.match(/<row /g)?.length).toBe(xlsxLimits.maxRowsPerSheet);
    expect(first).toContain(
      `<row r="1048576"><c r="A1048576"><v>1048575</v></c></row></sheetData>`,
    );
    expect(second).toMatch(
      /<row r="1">.*<\/row><row r="2"><c r="A2"><v>1048576<\/v><\/c><\/row><\/sheetData>/,
    );
    expect(parts['xl/workbook.xml']).toContain('<sheet name="Sheet2" sheetId="2" r:id="rId2"/>');
  }, 60_000);
});

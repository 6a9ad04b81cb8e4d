import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readXlsx, values, xlsxParts } from '../src/index.js';

/** The smallest workbook Excel opens, written by hand: no writer of ours is involved. */
function handWrittenWorkbook(): Uint8Array {
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Trades" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml':
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>ok</t></is></c></row><row r="2"><c r="A2"><v>7</v></c><c r="B2" t="b"><v>1</v></c></row></sheetData></worksheet>',
  };
  return zipSync(
    Object.fromEntries(Object.entries(parts).map(([name, xml]) => [name, strToU8(xml)])),
  );
}

describe('readXlsx', () => {
  it("gives each cell's value and type as openpyxl reads them, and checks every part", async () => {
    const workbook = await readXlsx(handWrittenWorkbook());
    const [sheet] = workbook.sheets;
    expect(sheet?.title).toBe('Trades');
    expect(values(sheet)).toEqual([
      ['id', 'ok'],
      [7, true],
    ]);
    expect(sheet?.rows[1]?.map((cell) => cell.type)).toEqual(['int', 'bool']);
    expect(Object.values(workbook.parts)).toEqual(Array(5).fill('well-formed'));
  });

  it('fails on bytes that are not a workbook, rather than reading nothing', async () => {
    await expect(readXlsx(new TextEncoder().encode('id,ok\n7,true\n'))).rejects.toThrow();
  });
});

describe('xlsxParts', () => {
  it('gives every part of the zip as text', () => {
    expect(Object.keys(xlsxParts(handWrittenWorkbook()))).toContain('xl/worksheets/sheet1.xml');
  });
});

import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readWithLibreOffice } from '../src/index.js';

const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relationships = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const worksheetType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${main}"><sheetData>${rows}</sheetData></worksheet>`;
}

/** Two sheets written by hand, the first with an escaped control character: no writer of ours. */
function handWrittenWorkbook(): Uint8Array {
  const parts: Record<string, string> = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${worksheetType}"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="${worksheetType}"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}" xmlns:r="${relationships}"><sheets><sheet name="Trades" sheetId="1" r:id="rId1"/><sheet name="Trades (2)" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relationships}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${relationships}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': sheetXml(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>a_x0001_b, "c"</t></is></c></row>',
    ),
    'xl/worksheets/sheet2.xml': sheetXml(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row><row r="2"><c r="A2"><v>7</v></c></row>',
    ),
  };
  return zipSync(
    Object.fromEntries(Object.entries(parts).map(([name, xml]) => [name, strToU8(xml)])),
  );
}

describe('readWithLibreOffice', () => {
  it('gives every sheet in order, with Excel escapes decoded and CSV quoting undone', async () => {
    expect(await readWithLibreOffice(handWrittenWorkbook())).toEqual([
      { name: 'Trades', rows: [['note'], ['a\u0001b, "c"']] },
      { name: 'Trades (2)', rows: [['note'], ['7']] },
    ]);
  }, 60_000);

  it('fails on bytes that are not a workbook, and on a cut one', async () => {
    await expect(readWithLibreOffice(strToU8('id,ok\n7,true\n'))).rejects.toThrow(
      /LibreOffice opened no workbook: .*could not be loaded/,
    );
    const whole = handWrittenWorkbook();
    await expect(readWithLibreOffice(whole.subarray(0, whole.length - 100))).rejects.toThrow(
      /LibreOffice opened no workbook/,
    );
  }, 60_000);
});

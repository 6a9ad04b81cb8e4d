import { readXlsx, xlsxParts } from '@org/test-xlsx';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from './test-helpers/write-xlsx.js';

const records = [
  { id: 1, name: 'ACME', note: 'a\u0001b' },
  { id: 2, name: 'İNİT', note: '<&>"' },
];

function relationshipTargets(xml: string): string[] {
  return [...xml.matchAll(/Target="([^"]+)"/g)].map((match) => match[1] as string);
}

describe('the XLSX package', () => {
  it('has only well-formed XML parts, to fast-xml-parser and to minidom', async () => {
    const { bytes } = await writeXlsx(records, { title: 'T & <C>', maxRowsPerSheet: 2 });
    const parts = xlsxParts(bytes);
    for (const [name, xml] of Object.entries(parts)) {
      expect([name, XMLValidator.validate(xml)]).toEqual([name, true]);
    }
    const book = await readXlsx(bytes);
    expect(Object.values(book.parts).every((verdict) => verdict === 'well-formed')).toBe(true);
  });

  it('gives every part a content type', async () => {
    const parts = xlsxParts((await writeXlsx(records, { maxRowsPerSheet: 2 })).bytes);
    const types = parts['[Content_Types].xml'] ?? '';
    const defaults = [...types.matchAll(/Default Extension="([^"]+)"/g)].map((match) => match[1]);
    const overrides = [...types.matchAll(/Override PartName="\/([^"]+)"/g)].map((m) => m[1]);
    for (const name of Object.keys(parts)) {
      if (name === '[Content_Types].xml') continue;
      const typed = overrides.includes(name) || defaults.includes(name.split('.').at(-1));
      expect([name, typed]).toEqual([name, true]);
    }
    // Each part that must have its own type has it, and names a part that exists.
    for (const name of overrides) expect(Object.keys(parts)).toContain(name);
    expect(overrides).toEqual(
      expect.arrayContaining(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']),
    );
  });

  it('has relationships that point at parts that exist', async () => {
    const parts = xlsxParts((await writeXlsx(records, { maxRowsPerSheet: 2 })).bytes);
    const root = relationshipTargets(parts['_rels/.rels'] ?? '');
    expect(root).toEqual(['xl/workbook.xml', 'docProps/core.xml', 'docProps/app.xml']);
    const workbook = relationshipTargets(parts['xl/_rels/workbook.xml.rels'] ?? '');
    expect(workbook).toEqual(['worksheets/sheet1.xml', 'worksheets/sheet2.xml', 'styles.xml']);
    for (const target of [...root, ...workbook.map((target) => `xl/${target}`)]) {
      expect(Object.keys(parts)).toContain(target);
    }
  });

  it('never writes a shared-strings table: every string is inline', async () => {
    const parts = xlsxParts((await writeXlsx(records)).bytes);
    expect(Object.keys(parts)).not.toContain('xl/sharedStrings.xml');
    expect(parts['xl/worksheets/sheet1.xml']).toContain(
      '<c r="B2" t="inlineStr"><is><t>ACME</t></is></c>',
    );
  });

  it("freezes the header and names each sheet's filter as Excel does, hidden", async () => {
    const parts = xlsxParts(
      (await writeXlsx([...records, { id: 3 }], { sheetName: "Bob's", maxRowsPerSheet: 3 })).bytes,
    );
    expect(parts['xl/worksheets/sheet1.xml']).toContain(
      '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
    );
    expect(parts['xl/worksheets/sheet1.xml']).toContain('<autoFilter ref="A1:C3"/>');
    expect(parts['xl/worksheets/sheet2.xml']).toContain('<autoFilter ref="A1:C2"/>');
    expect(parts['xl/workbook.xml']).toContain(
      '<definedNames>' +
        '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\'Bob\'\'s\'!$A$1:$C$3</definedName>' +
        '<definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">\'Bob\'\'s (2)\'!$A$1:$C$2</definedName>' +
        '</definedNames>',
    );
  });

  it('escapes a CR as a character reference, so that no XML parser turns it into LF', async () => {
    const parts = xlsxParts((await writeXlsx([{ text: 'a\r\nb' }])).bytes);
    expect(parts['xl/worksheets/sheet1.xml']).toContain('<t>a&#13;\nb</t>');
  });
});

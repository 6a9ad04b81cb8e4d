import { filterRange } from './sheet-xml.js';
import { xmlPropertyText, xmlText } from './xml-text.js';

/** One sheet of the workbook as its parts describe it. */
export interface SheetEntry {
  readonly name: string;
  /** The last row written, the header's 1 when there are no records. */
  readonly lastRow: number;
}

const declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const relationshipsNamespace =
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const packageRelationships = 'http://schemas.openxmlformats.org/package/2006/relationships';

export function sheetPath(index: number): string {
  return `xl/worksheets/sheet${index + 1}.xml`;
}

/** The type of every part: written last, when the number of sheets is known. */
export function contentTypesXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, index) =>
      `<Override PartName="/${sheetPath(index)}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join('');
  return (
    `${declaration}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    `${sheets}</Types>`
  );
}

export function packageRelationshipsXml(): string {
  return (
    `${declaration}<Relationships xmlns="${packageRelationships}">` +
    `<Relationship Id="rId1" Type="${relationshipsNamespace}/officeDocument" Target="xl/workbook.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    `<Relationship Id="rId3" Type="${relationshipsNamespace}/extended-properties" Target="docProps/app.xml"/>` +
    '</Relationships>'
  );
}

/**
 * The sheets, and each filter's range as Excel names it: a hidden `_xlnm._FilterDatabase` local
 * to its sheet.
 */
export function workbookXml(sheets: readonly SheetEntry[], columnCount: number): string {
  const sheetList = sheets
    .map(
      (sheet, index) =>
        `<sheet name="${xmlText(sheet.name)}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`,
    )
    .join('');
  const filters =
    columnCount === 0
      ? ''
      : `<definedNames>${sheets
          .map(
            (sheet, index) =>
              `<definedName name="_xlnm._FilterDatabase" localSheetId="${index}" hidden="1">${xmlText(
                `'${sheet.name.replaceAll("'", "''")}'!${filterRange(columnCount, sheet.lastRow, true)}`,
              )}</definedName>`,
          )
          .join('')}</definedNames>`;
  return (
    `${declaration}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${relationshipsNamespace}">` +
    `<bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheetList}</sheets>${filters}</workbook>`
  );
}

export function workbookRelationshipsXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, index) =>
      `<Relationship Id="rId${index + 1}" Type="${relationshipsNamespace}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`,
  ).join('');
  return (
    `${declaration}<Relationships xmlns="${packageRelationships}">${sheets}` +
    `<Relationship Id="rId${sheetCount + 1}" Type="${relationshipsNamespace}/styles" Target="styles.xml"/>` +
    '</Relationships>'
  );
}

export function corePropertiesXml(properties: {
  title: string | undefined;
  author: string | undefined;
  generatedAt: Date;
}): string {
  const { title, author, generatedAt } = properties;
  // W3CDTF without milliseconds, as Excel writes it.
  const created = `${generatedAt.toISOString().slice(0, 19)}Z`;
  return (
    `${declaration}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    (title === undefined ? '' : `<dc:title>${xmlPropertyText(title)}</dc:title>`) +
    (author === undefined ? '' : `<dc:creator>${xmlPropertyText(author)}</dc:creator>`) +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

export function appPropertiesXml(sheets: readonly SheetEntry[]): string {
  const names = sheets.map((sheet) => `<vt:lpstr>${xmlText(sheet.name)}</vt:lpstr>`).join('');
  return (
    `${declaration}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
    '<Application>@org/export-core</Application>' +
    `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${sheets.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="${sheets.length}" baseType="lpstr">${names}</vt:vector></TitlesOfParts>` +
    '</Properties>'
  );
}

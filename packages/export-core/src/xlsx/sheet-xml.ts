import { columnLetters } from './column-letters.js';

const worksheetNamespaces =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/**
 * A worksheet up to its first row: the frozen header (when there is one) and the column widths.
 * The dimension, which would need the last row, is left out; it is optional.
 */
export function sheetHead(widths: readonly number[], selected: boolean): string {
  const tab = selected ? ' tabSelected="1"' : '';
  const view =
    widths.length === 0
      ? `<sheetView${tab} workbookViewId="0"/>`
      : `<sheetView${tab} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>`;
  const cols =
    widths.length === 0
      ? ''
      : `<cols>${widths
          .map(
            (width, index) =>
              `<col min="${index + 1}" max="${index + 1}" width="${width}" customWidth="1"/>`,
          )
          .join('')}</cols>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${worksheetNamespaces}><sheetViews>${view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>${cols}<sheetData>`;
}

/** The rest of a worksheet after its last row: the filter over the header and the rows. */
export function sheetTail(columnCount: number, lastRow: number): string {
  const filter =
    columnCount === 0 ? '' : `<autoFilter ref="${filterRange(columnCount, lastRow)}"/>`;
  return `</sheetData>${filter}</worksheet>`;
}

/** From A1 to the last column of the last row: what the header's filter covers. */
export function filterRange(columnCount: number, lastRow: number, absolute = false): string {
  const dollar = absolute ? '$' : '';
  const last = columnLetters(columnCount - 1);
  return `${dollar}A${dollar}1:${dollar}${last}${dollar}${lastRow}`;
}

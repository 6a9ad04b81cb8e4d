import { ExportError } from '../errors.js';
import { type PdfPageSize, pdfFontSizeRange, pdfPageSizes } from './normalize-pdf-options.js';
import { type PageGeometry, pageGeometry } from './page-geometry.js';

export interface TooWideTable {
  /** Per column, the least width it needs, in points. */
  readonly minimumWidths: readonly number[];
  readonly page: PageGeometry;
  readonly pageSize: PdfPageSize;
  readonly fontSize: number;
  /** Some columns have a `width` option. */
  readonly anyFixed: boolean;
}

/**
 * The columns cannot fit across the page even at their minimum widths: the export fails before
 * its first page rather than draw a blank or all-"…" table. The message names the limit and the
 * options that would help.
 */
export function tableTooWide(table: TooWideTable): ExportError {
  const { minimumWidths, page, pageSize } = table;
  let needed = 0;
  let fitting = 0;
  for (const width of minimumWidths) {
    needed += width;
    if (needed <= page.usableWidth) fitting += 1;
  }
  const fits = fitting === 0 ? 'not even the first column fits' : `the first ${fitting} fit`;
  return new ExportError(
    'EXPORT_TABLE_TOO_WIDE',
    `the table's ${minimumWidths.length} columns need at least ${round(needed)} pt across, and the page (${pageSize} ${page.orientation}) has ${round(page.usableWidth)} pt: ${fits}; ${remedies(table).join(', or ')}`,
  );
}

function remedies({ page, pageSize, fontSize, anyFixed }: TooWideTable): string[] {
  const helps = [
    anyFixed ? 'use fewer `columns` or narrower `columns[].width`' : 'use fewer `columns`',
  ];
  if (page.orientation === 'portrait') helps.push("`pdf.orientation: 'landscape'`");
  for (const other of pdfPageSizes) {
    if (
      other !== pageSize &&
      pageGeometry(other, page.orientation).usableWidth > page.usableWidth
    ) {
      helps.push(`\`pdf.pageSize: '${other}'\``);
    }
  }
  if (fontSize > pdfFontSizeRange.min) {
    helps.push(`a smaller \`pdf.fontSize\` (${fontSize} now, ${pdfFontSizeRange.min} the least)`);
  }
  return helps;
}

function round(points: number): number {
  return Math.round(points * 100) / 100;
}

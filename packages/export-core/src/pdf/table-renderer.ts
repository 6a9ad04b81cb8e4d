import { deflateSync } from 'node:zlib';
import type { ColumnAlignment, ExportRecord } from '../columns/column-types.js';
import { cellValueText, readCellValue } from '../values/cell-text.js';
import { type TruncatedCells, TruncationCounter } from '../values/truncated-cells.js';
import { alignedX, cellAlignment, isNumberContent } from './cell-alignment.js';
import type { ColumnPlan } from './column-plan.js';
import {
  beginPdfCoordinates,
  endPdfCoordinates,
  fillRectangle,
  pdfNumber,
  roundToHundredth,
  strokeLine,
  textLine,
} from './content-operators.js';
import type { TableLayout } from './layout-table.js';
import type { NormalizedPdfOptions } from './normalize-pdf-options.js';
import { minimumNumberFontSize, numberFontSize, numberTooWide } from './number-fit.js';
import type { OpenedPdfDocument } from './open-pdf-document.js';
import { PageFooter } from './page-footer.js';
import {
  appendCompressedContent,
  currentPage,
  type PdfKitPage,
  releaseWrittenPage,
} from './pdfkit-internals.js';
import { rowCountText } from './row-count-text.js';

const headerGray = 0.86;
const stripeGray = 0.94;
const ruleGray = 0.45;
const mutedGray = 0.35;
// Level 3 of 9: about twice as fast as the default 6, for content streams about 7% larger.
const contentCompressionLevel = 3;

/**
 * Draws the table report into a pdfkit document, one row at a time, in raw operators: a title
 * block, a header row on every page, rows (striped, aligned), "N rows", and a "Page N of M"
 * footer. Synchronous and stream-agnostic: `createPdfStream` feeds it.
 *
 * Text wider than its cell is cut with "…" and counted (`truncatedCells`; a header once). A
 * number is never cut: wider than its cell, it is drawn smaller, down to
 * `minimumNumberFontSize`, and past that the row fails with EXPORT_TABLE_TOO_WIDE.
 *
 * A page's content is collected as a string and handed to pdfkit once, when the page is done.
 */
export class TableRenderer {
  readonly #opened: OpenedPdfDocument;
  readonly #options: NormalizedPdfOptions;
  readonly #columns: readonly ColumnPlan[];
  readonly #layout: TableLayout;
  readonly #footer: PageFooter;
  /** From a row's bottom to its text baseline, centering the font's ascent and descent. */
  readonly #baselineOffset: number;
  readonly #scale: number;
  readonly #truncation = new TruncationCounter();
  #page: PdfKitPage | undefined;
  #pageNumber = 0;
  #content = '';
  /** The top of the next row, in PDF coordinates. */
  #cursor = 0;

  constructor(
    opened: OpenedPdfDocument,
    options: NormalizedPdfOptions,
    layout: TableLayout,
    columns: readonly ColumnPlan[],
  ) {
    this.#opened = opened;
    this.#options = options;
    this.#layout = layout;
    this.#columns = columns;
    this.#footer = new PageFooter(opened.document, opened.regular, options.fontSize);
    const { rowHeight, fontSize } = layout.metrics;
    this.#scale = fontSize / 1000;
    const { ascender, descender } = opened.regular.font;
    this.#baselineOffset =
      (rowHeight - (ascender - descender) * this.#scale) / 2 - descender * this.#scale;
  }

  /** The first page: title block and header row. */
  start(): void {
    this.#addPage();
    this.#drawTitleBlock();
    this.#drawHeaderRow();
  }

  writeRow(record: ExportRecord, row: number): void {
    const { rowHeight, fontSize } = this.#layout.metrics;
    if (this.#cursor - rowHeight < this.#layout.tableBottom) this.#continueOnNewPage();
    const bottom = this.#cursor - rowHeight;
    this.#cursor = bottom;
    const { glyphs, font } = this.#opened.regular;
    const fontId = font.id;
    let content = '';
    if (this.#options.zebra && row % 2 === 1) {
      const { left } = this.#layout.page;
      content = fillRectangle(left, bottom, this.#layout.tableWidth, rowHeight, stripeGray);
    }
    content += `BT /${fontId} ${fontSize} Tf\n`;
    // Td moves relative to the previous cell's start: shorter operands than a full Tm.
    let previousX = 0;
    let moveY = pdfNumber(bottom + this.#baselineOffset);
    for (const plan of this.#columns) {
      const { column } = plan;
      const value = readCellValue(record, column.key, plan.position);
      const text = cellValueText(column, value, record, row);
      if (text === '') continue;
      const alignment = cellAlignment(column, value);
      let x: number;
      let shown: string;
      if (isNumberContent(column, value)) {
        const { bytes, width } = glyphs.encode(text);
        const size = this.#numberSize(plan, width, text, row);
        x = this.#cellTextX(plan, alignment, (width * size) / 1000);
        shown =
          size === fontSize
            ? `(${bytes}) Tj`
            : `/${fontId} ${pdfNumber(size)} Tf (${bytes}) Tj /${fontId} ${fontSize} Tf`;
      } else {
        const encoded = glyphs.fit(text, plan.textRoom);
        if (encoded.truncated) this.#truncation.add(column.key);
        x = this.#cellTextX(plan, alignment, encoded.width * this.#scale);
        shown = `(${encoded.bytes}) Tj`;
      }
      x = roundToHundredth(x);
      content += `${pdfNumber(x - previousX)} ${moveY} Td ${shown}\n`;
      previousX = x;
      moveY = '0';
    }
    this.#content += `${content}ET\n`;
  }

  /** "N rows", the last footer, the page total; then ends the document. */
  finish(rowCount: number): void {
    const { rowHeight, fontSize } = this.#layout.metrics;
    if (this.#cursor - rowHeight < this.#layout.tableBottom) this.#continueOnNewPage();
    const { left } = this.#layout.page;
    const { font, glyphs } = this.#opened.regular;
    const baseline = this.#cursor - rowHeight + this.#baselineOffset;
    const { tableWidth } = this.#layout;
    // A table of no columns has no width to rule off.
    if (tableWidth > 0) {
      this.#content += strokeLine(left, left + tableWidth, this.#cursor, 0.5, ruleGray);
    }
    const countText = glyphs.encode(rowCountText(rowCount)).bytes;
    this.#content += textLine(font.id, fontSize, left, baseline, countText);
    this.#endPage();
    this.#footer.end(this.#pageNumber);
    this.#opened.document.end();
  }

  /** Cells cut to fit so far, headers counted once. */
  get truncatedCells(): TruncatedCells {
    return this.#truncation.truncatedCells;
  }

  /** Where text `width` points wide starts in the column. */
  #cellTextX(plan: ColumnPlan, alignment: ColumnAlignment, width: number): number {
    if (alignment === 'left') return plan.textLeft;
    return alignedX(alignment, plan.textLeft, plan.textRight, width);
  }

  /** The size a number is drawn at: the font size when it fits, smaller, or it fails the row. */
  #numberSize(plan: ColumnPlan, advance: number, text: string, row: number): number {
    const room = plan.textRight - plan.textLeft;
    const size = numberFontSize(advance, room, this.#layout.metrics.fontSize);
    if (size !== undefined) return size;
    throw numberTooWide({
      row,
      columnKey: plan.column.key,
      text,
      widthAtMinimum: (advance * minimumNumberFontSize) / 1000,
      room,
    });
  }

  #continueOnNewPage(): void {
    this.#endPage();
    this.#addPage();
    this.#drawHeaderRow();
  }

  #addPage(): void {
    const previous = this.#page;
    const { document, regular, bold } = this.#opened;
    const { width, height, top } = this.#layout.page;
    // Ends the previous page: pdfkit writes it out, then we drop what it still holds of it.
    document.addPage({ size: [width, height], margin: 0 });
    if (previous) releaseWrittenPage(previous);
    const page = currentPage(document);
    page.fonts[regular.font.id] = regular.font.ref();
    page.fonts[bold.font.id] = bold.font.ref();
    this.#page = page;
    this.#pageNumber += 1;
    this.#content = beginPdfCoordinates(height);
    this.#cursor = top;
  }

  /** Draws the footer and hands the page's content to pdfkit. */
  #endPage(): void {
    const page = this.#page;
    if (!page) return;
    const { fontSize } = this.#layout.metrics;
    const { left, right, bottom, usableWidth } = this.#layout.page;
    const { font, glyphs } = this.#opened.regular;
    const baseline = bottom + fontSize * 0.5;
    const title = glyphs.fit(this.#options.title, usableWidth / 2 / this.#scale);
    const content =
      this.#content +
      textLine(font.id, fontSize, left, baseline, title.bytes, mutedGray) +
      this.#footer.draw(page, this.#pageNumber, right, baseline, mutedGray) +
      endPdfCoordinates;
    this.#content = '';
    const compressed = deflateSync(Buffer.from(content, 'latin1'), {
      level: contentCompressionLevel,
    });
    appendCompressedContent(this.#opened.document, page, compressed);
  }

  #drawTitleBlock(): void {
    const { fontSize } = this.#layout.metrics;
    const { left, usableWidth } = this.#layout.page;
    const { regular, bold } = this.#opened;
    const titleSize = fontSize * 1.75;
    let baseline = this.#cursor - (bold.font.ascender / 1000) * titleSize;
    const title = bold.glyphs.fit(this.#options.title, (usableWidth * 1000) / titleSize);
    let content = textLine(bold.font.id, titleSize, left, baseline, title.bytes);
    baseline -= titleSize * 0.6 + fontSize * 1.2;
    const lines = [`Generated ${this.#options.generatedAt.toISOString()}`, ...this.#options.meta];
    for (const text of lines) {
      const line = regular.glyphs.fit(text, usableWidth / this.#scale);
      content += textLine(regular.font.id, fontSize, left, baseline, line.bytes, mutedGray);
      baseline -= fontSize * 1.5;
    }
    this.#content += content;
    this.#cursor = baseline - fontSize * 0.5;
  }

  #drawHeaderRow(): void {
    // A table of no columns (no records to take them from) has no header to draw.
    if (this.#columns.length === 0) return;
    const { rowHeight, fontSize } = this.#layout.metrics;
    const { left } = this.#layout.page;
    const { tableWidth } = this.#layout;
    const bottom = this.#cursor - rowHeight;
    const baseline = bottom + this.#baselineOffset;
    const { font, glyphs } = this.#opened.bold;
    let content =
      fillRectangle(left, bottom, tableWidth, rowHeight, headerGray) +
      strokeLine(left, left + tableWidth, bottom, 0.75, ruleGray);
    const firstPage = this.#pageNumber === 1;
    for (const plan of this.#columns) {
      const encoded = glyphs.fit(plan.column.header, plan.textRoom);
      if (encoded.truncated && firstPage) this.#truncation.add(plan.column.key);
      const x = this.#cellTextX(plan, plan.headerAlignment, encoded.width * this.#scale);
      content += textLine(font.id, fontSize, x, baseline, encoded.bytes);
    }
    this.#content += content;
    this.#cursor = bottom;
  }
}

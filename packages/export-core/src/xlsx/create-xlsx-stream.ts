import { Duplex, PassThrough } from 'node:stream';
import { ZipFile } from 'yazl';
import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { columnSampleSize } from '../pdf/measure-columns.js';
import { assertRecord, readCellValue } from '../values/cell-text.js';
import { type TruncatedCells, TruncationCounter } from '../values/truncated-cells.js';
import { columnLetters } from './column-letters.js';
import {
  type NormalizedXlsxOptions,
  normalizeXlsxOptions,
  type XlsxStreamOptions,
} from './normalize-xlsx-options.js';
import { sheetNameAt } from './sheet-names.js';
import { sheetHead, sheetTail } from './sheet-xml.js';
import {
  appPropertiesXml,
  contentTypesXml,
  corePropertiesXml,
  packageRelationshipsXml,
  type SheetEntry,
  sheetPath,
  workbookRelationshipsXml,
  workbookXml,
} from './workbook-parts.js';
import { cellXml, inlineStringXml } from './xlsx-cell.js';
import { xlsxColumnWidths } from './xlsx-column-widths.js';
import { assertXlsxColumnCount } from './xlsx-limits.js';
import { cellStyles, stylesXml } from './xlsx-styles.js';

type WriteCallback = (error?: Error | null) => void;

// Rows are handed to the zip 64 KiB of XML at a time: a write per row costs more than the row.
const batchCharacters = 64 * 1024;

/** The XLSX writer: a Duplex, records in and bytes out, that reports the cells it cut. */
export interface XlsxTableStream extends Duplex {
  /** Text cells cut with "…" to 32,767 characters so far (a header once); final after 'end'. */
  readonly truncatedCells: TruncatedCells;
}

/**
 * A Duplex that takes records (objects or arrays) and gives the bytes of an XLSX workbook: the
 * sheet XML is written as the rows arrive, deflated into a streaming zip (yazl), with inline
 * strings and no table that grows with the rows. `pipeline(Readable.from(records),
 * createXlsxStream(), file)`.
 *
 * The first 100 records are held to measure the column widths, then the sheet starts: a bold,
 * frozen header row with a filter. Past 1,048,576 rows the rows go on to a new sheet, the header
 * repeated. Bad options throw here; a bad record fails the stream with EXPORT_INVALID_RECORD
 * naming its row, and more than 16,384 columns with EXPORT_TABLE_TOO_WIDE. Zero records make the
 * header alone, or an empty sheet when no columns are known. `Row` types the records.
 */
export function createXlsxStream<Row = unknown>(options?: XlsxStreamOptions<Row>): XlsxTableStream {
  return new XlsxStream(normalizeXlsxOptions(options));
}

class XlsxStream extends Duplex implements XlsxTableStream {
  readonly #options: NormalizedXlsxOptions;
  readonly #zip = new ZipFile();
  readonly #output: PassThrough;
  readonly #truncations = new TruncationCounter();
  #columns: readonly NormalizedColumn[] = [];
  #letters: readonly string[] = [];
  #widths: readonly number[] = [];
  #headerXml = '';
  /** The first records, held back until the columns are measured. */
  #sample: ExportRecord[] | undefined = [];
  #recordCount = 0;
  readonly #sheets: SheetEntry[] = [];
  #sheet: PassThrough | undefined;
  /** The last row written to the current sheet (1 is its header). */
  #sheetRow = 0;
  #pending = '';
  #heldWrite: WriteCallback | undefined;
  #finalCallback: WriteCallback | undefined;

  constructor(options: NormalizedXlsxOptions) {
    super({ writableObjectMode: true, readableObjectMode: false });
    this.#options = options;
    this.#output = this.#zip.outputStream as PassThrough;
    // The zip's output pauses while this stream's reader is full: yazl's pipes then hold the
    // sheet's writes, which hold the records.
    this.#output.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) this.#output.pause();
    });
    this.#output.on('end', () => {
      this.push(null);
      this.#finalCallback?.();
      this.#finalCallback = undefined;
    });
    this.#zip.on('error', (error: Error) => this.destroy(error));
  }

  get truncatedCells(): TruncatedCells {
    return this.#truncations.truncatedCells;
  }

  override _write(record: unknown, _encoding: BufferEncoding, callback: WriteCallback): void {
    const row = this.#recordCount;
    try {
      assertRecord(record, row);
      this.#recordCount += 1;
      if (this.#sample) {
        this.#sample.push(record);
        if (this.#sample.length === columnSampleSize) this.#startWorkbook();
      } else {
        this.#writeRow(record, row);
      }
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.#sendPending(false, callback);
  }

  override _final(callback: WriteCallback): void {
    try {
      if (this.#sample) this.#startWorkbook();
      this.#endSheet();
      this.#finalCallback = callback;
      const sheetCount = this.#sheets.length;
      this.#addPart('xl/workbook.xml', workbookXml(this.#sheets, this.#columns.length));
      this.#addPart('xl/_rels/workbook.xml.rels', workbookRelationshipsXml(sheetCount));
      this.#addPart('docProps/app.xml', appPropertiesXml(this.#sheets));
      // Readers look the parts up by name: the types can come last, once the sheets are known.
      this.#addPart('[Content_Types].xml', contentTypesXml(sheetCount));
      this.#zip.end();
    } catch (error) {
      this.#finalCallback = undefined;
      callback(error as Error);
    }
  }

  override _read(): void {
    this.#output.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#output.removeAllListeners('data');
    this.#output.removeAllListeners('end');
    // yazl may still report its streams' end: nobody listens any more.
    this.#zip.removeAllListeners('error');
    this.#zip.on('error', () => {});
    this.#sheet?.destroy();
    this.#output.destroy();
    this.#sample = undefined;
    this.#pending = '';
    this.#heldWrite = undefined;
    this.#finalCallback = undefined;
    callback(error);
  }

  /** Measures the sampled records, writes the fixed parts, starts sheet 1 and its sampled rows. */
  #startWorkbook(): void {
    const sample = this.#sample ?? [];
    this.#sample = undefined;
    const { columnDefaults } = this.#options;
    // No records and no columns: an empty sheet, since there is no header to know.
    const columns =
      this.#options.columns ??
      (sample.length === 0 ? [] : normalizeColumns(undefined, sample[0], columnDefaults));
    assertXlsxColumnCount(columns.length);
    this.#columns = columns;
    this.#letters = columns.map((_, index) => columnLetters(index));
    this.#widths = xlsxColumnWidths(columns, sample, this.#options.measuredWidths);
    this.#headerXml =
      columns.length === 0
        ? ''
        : `<row r="1">${columns
            .map((column, index) =>
              inlineStringXml(
                `${this.#letters[index]}1`,
                column.header,
                column.key,
                this.#truncations,
                ` s="${cellStyles.header}"`,
              ),
            )
            .join('')}</row>`;
    const { title, author, generatedAt } = this.#options;
    this.#addPart('_rels/.rels', packageRelationshipsXml());
    this.#addPart('docProps/core.xml', corePropertiesXml({ title, author, generatedAt }));
    this.#addPart('xl/styles.xml', stylesXml());
    this.#startSheet();
    sample.forEach((record, row) => {
      this.#writeRow(record, row);
    });
  }

  #startSheet(): void {
    const index = this.#sheets.length;
    this.#sheets.push({ name: sheetNameAt(this.#options.sheetName, index), lastRow: 1 });
    const sheet = new PassThrough();
    this.#sheet = sheet;
    this.#zip.addReadStream(sheet, sheetPath(index), { mtime: this.#options.generatedAt });
    this.#pending += sheetHead(this.#widths, index === 0) + this.#headerXml;
    this.#sheetRow = this.#columns.length === 0 ? 0 : 1;
  }

  #endSheet(): void {
    const sheet = this.#sheet;
    if (!sheet) return;
    const entry = this.#sheets.at(-1) as SheetEntry;
    this.#sheets[this.#sheets.length - 1] = { ...entry, lastRow: Math.max(1, this.#sheetRow) };
    sheet.end(this.#pending + sheetTail(this.#columns.length, Math.max(1, this.#sheetRow)));
    this.#pending = '';
    this.#sheet = undefined;
  }

  #writeRow(record: ExportRecord, row: number): void {
    if (this.#sheetRow >= this.#options.maxRowsPerSheet) {
      this.#endSheet();
      this.#startSheet();
    }
    this.#sheetRow += 1;
    const rowNumber = String(this.#sheetRow);
    const columns = this.#columns;
    let xml = `<row r="${rowNumber}">`;
    for (let index = 0; index < columns.length; index += 1) {
      const column = columns[index] as NormalizedColumn;
      const value = readCellValue(record, column.key, index);
      const reference = `${this.#letters[index]}${rowNumber}`;
      xml += cellXml(column, reference, value, record, row, this.#truncations);
    }
    this.#pending += `${xml}</row>`;
  }

  /** Hands the pending XML to the sheet once there is a batch of it; waits while it is full. */
  #sendPending(force: boolean, callback: WriteCallback): void {
    const sheet = this.#sheet;
    if (!sheet || (!force && this.#pending.length < batchCharacters)) {
      callback();
      return;
    }
    const fits = sheet.write(this.#pending);
    this.#pending = '';
    if (fits) {
      callback();
      return;
    }
    this.#heldWrite = callback;
    sheet.once('drain', () => {
      const held = this.#heldWrite;
      this.#heldWrite = undefined;
      held?.();
    });
  }

  #addPart(path: string, xml: string): void {
    this.#zip.addBuffer(Buffer.from(xml), path, { mtime: this.#options.generatedAt });
  }
}

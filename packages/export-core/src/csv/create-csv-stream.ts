import type { Duplex, TransformCallback } from 'node:stream';
import { CsvFormatterStream, FormatterOptions } from '@fast-csv/format';
import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { assertRecord, cellValueText, readCellValue } from '../values/cell-text.js';
import { isNumberCell } from '../values/number-cell.js';
import { isNumericLiteral } from '../values/numeric-literal.js';
import { digitStringAsText } from './digit-string-as-text.js';
import { escapeFormula } from './escape-formula.js';
import {
  type CsvStreamOptions,
  type NormalizedCsvOptions,
  normalizeCsvOptions,
} from './normalize-csv-options.js';

type Cells = string[];

// fast-csv pushes one small Buffer per row; handing the destination 16 KiB at a time costs far
// less per row downstream (pipe, hashing, file writes) and holds at most 16 KiB back.
const batchBytes = 16 * 1024;
const byteOrderMark = '\ufeff';

/**
 * Records in, CSV bytes out. Quoting, delimiters and line endings are fast-csv's; value text,
 * the formula guard and the header row from the columns are ours. The header is the first row
 * fast-csv sees, so the BOM and the header are written even for zero records. Zero records and
 * no columns make an empty file (the BOM only, when on): there is no header to know.
 */
class CsvExportStream extends CsvFormatterStream<Cells, Cells> {
  readonly #options: NormalizedCsvOptions;
  #columns: readonly NormalizedColumn[] | undefined;
  #rows = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(options: NormalizedCsvOptions) {
    super(
      new FormatterOptions<Cells, Cells>({
        objectMode: true,
        headers: false,
        delimiter: options.delimiter,
        rowDelimiter: options.eol,
        quoteColumns: options.quote === 'all',
        writeBOM: options.bom,
        includeEndRowDelimiter: true,
      }),
    );
    this.#options = options;
    // Columns given up front are checked now, so a bad option fails before any row.
    if (options.columns !== undefined) {
      this.#columns = normalizeColumns(options.columns, undefined, options.columnDefaults);
    }
  }

  override _transform(record: unknown, encoding: string, callback: TransformCallback): void {
    let cells: Cells;
    try {
      assertRecord(record, this.#rows);
      if (this.#rows === 0) {
        this.#columns ??= normalizeColumns(undefined, record, this.#options.columnDefaults);
      }
      cells = this.#recordCells(record);
    } catch (error) {
      callback(error as Error);
      return;
    }
    const firstRow = this.#rows === 0;
    this.#rows += 1;
    if (!firstRow) {
      super._transform(cells, encoding, callback);
      return;
    }
    super._transform(this.#headerCells(), encoding, (error) => {
      if (error) callback(error);
      else super._transform(cells, encoding, callback);
    });
  }

  override _flush(callback: TransformCallback): void {
    if (this.#rows > 0) {
      super._flush(callback);
      return;
    }
    if (this.#columns === undefined) {
      // Not fast-csv's flush, which would end the file with a row delimiter.
      if (this.#options.bom) this.push(byteOrderMark);
      callback();
      return;
    }
    super._transform(this.#headerCells(), 'utf8', (error) => {
      if (error) callback(error);
      else super._flush(callback);
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) {
      this.#pushPending();
      return super.push(null);
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Buffer);
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    return this.#pendingBytes >= batchBytes ? this.#pushPending() : true;
  }

  #pushPending(): boolean {
    if (this.#pendingBytes === 0) return true;
    const batch =
      this.#pending.length === 1
        ? (this.#pending[0] as Buffer)
        : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    return super.push(batch);
  }

  #headerCells(): Cells {
    const columns = this.#columns ?? [];
    return columns.map((column) => this.#guard(column.header));
  }

  #recordCells(record: ExportRecord): Cells {
    const columns = this.#columns ?? [];
    const row = this.#rows;
    const cells: Cells = new Array(columns.length);
    for (let index = 0; index < columns.length; index += 1) {
      const column = columns[index] as NormalizedColumn;
      const value = readCellValue(record, column.key, index);
      const text = cellValueText(column, value, record, row);
      // A number is never a formula; but Excel rounds one of 16 digits or more, as it does text.
      cells[index] = isNumberCell(column, value) ? this.#keepDigits(text) : this.#guard(text);
    }
    return cells;
  }

  #keepDigits(text: string): string {
    return this.#options.digitStringsAsText ? digitStringAsText(text) : text;
  }

  #guard(text: string): string {
    let guarded =
      this.#options.escapeFormulas && !isNumericLiteral(text) ? escapeFormula(text) : text;
    if (this.#options.digitStringsAsText) guarded = digitStringAsText(guarded);
    return guarded;
  }
}

/**
 * An object-mode Duplex: records (objects or arrays) in, CSV bytes out. `Row` types the records,
 * so that each column key is one of their fields: `createCsvStream<Trade>({ columns: ['id'] })`.
 * Typed as a Duplex, not as the Transform it is today, as `createPdfStream` is.
 */
export function createCsvStream<Row = unknown>(options: CsvStreamOptions<Row> = {}): Duplex {
  return new CsvExportStream(normalizeCsvOptions(options));
}

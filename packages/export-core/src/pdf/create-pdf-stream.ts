import { Duplex } from 'node:stream';
import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { assertRecord } from '../values/cell-text.js';
import type { TruncatedCells } from '../values/truncated-cells.js';
import { planColumns } from './column-plan.js';
import { layoutTable } from './layout-table.js';
import { columnSampleSize, measureColumns } from './measure-columns.js';
import {
  type NormalizedPdfOptions,
  normalizePdfOptions,
  type PdfStreamOptions,
} from './normalize-pdf-options.js';
import { type OpenedPdfDocument, openPdfDocument } from './open-pdf-document.js';
import { TableRenderer } from './table-renderer.js';

type WriteCallback = (error?: Error | null) => void;

/** The PDF writer: a Duplex, records in and bytes out, that reports the cells it cut. */
export interface PdfTableStream extends Duplex {
  /** Text cells cut with "…" to fit their column so far (a header once); final after 'end'. */
  readonly truncatedCells: TruncatedCells;
}

/**
 * A Duplex that takes records (objects or arrays) and gives the bytes of a PDF table report, page
 * by page as they are written: `pipeline(Readable.from(records), createPdfStream(), file)`.
 *
 * Bad options throw here. A bad record fails the stream with EXPORT_INVALID_RECORD naming its row,
 * and nothing is emitted after it. Columns that cannot fit across the page fail it with
 * EXPORT_TABLE_TOO_WIDE before the first page, and so does a later number too wide for its
 * column even drawn at `minimumNumberFontSize`, naming its row. Zero records and no columns make
 * the report of an empty table: its title block and "0 rows". `Row` types the records, so that
 * each column key is one of their fields.
 */
export function createPdfStream<Row = unknown>(options?: PdfStreamOptions<Row>): PdfTableStream {
  return new PdfStream(normalizePdfOptions(options));
}

class PdfStream extends Duplex implements PdfTableStream {
  readonly #options: NormalizedPdfOptions;
  #opened: OpenedPdfDocument | undefined;
  #renderer: TableRenderer | undefined;
  /** The first records, held back until the columns are measured. */
  #sample: ExportRecord[] = [];
  #rowCount = 0;
  /** A write held back while the reader is full; released by `_read`. */
  #heldWrite: WriteCallback | undefined;
  /** The last `push` said the reader is full. */
  #readerFull = false;
  #finalCallback: WriteCallback | undefined;
  /**
   * The document's bytes from before the table starts (its header), held back: a bad first
   * record or a source that fails at once then fails the stream before it has emitted a byte.
   */
  #heldBytes: Buffer[] | undefined = [];
  #truncatedCells: TruncatedCells = { count: 0, columns: [] };

  constructor(options: NormalizedPdfOptions) {
    super({ writableObjectMode: true, readableObjectMode: false });
    this.#options = options;
    const opened = openPdfDocument(options);
    this.#opened = opened;
    // pdfkit's document is a Readable that never waits: this stream carries its backpressure.
    opened.document.on('data', (chunk: Buffer) => {
      if (this.#heldBytes) this.#heldBytes.push(chunk);
      else if (!this.push(chunk)) this.#readerFull = true;
    });
    opened.document.on('end', () => {
      this.#releaseHeldBytes();
      this.push(null);
      this.#finalCallback?.();
      this.#finalCallback = undefined;
    });
  }

  get truncatedCells(): TruncatedCells {
    return this.#renderer?.truncatedCells ?? this.#truncatedCells;
  }

  override _write(record: unknown, _encoding: BufferEncoding, callback: WriteCallback): void {
    const row = this.#rowCount;
    try {
      assertRecord(record, row);
      this.#rowCount += 1;
      if (this.#renderer) {
        this.#renderer.writeRow(record, row);
      } else {
        this.#sample.push(record);
        if (this.#sample.length === columnSampleSize) this.#startTable();
      }
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.#continueWhenReaderHasRoom(callback);
  }

  override _final(callback: WriteCallback): void {
    try {
      if (!this.#renderer) this.#startTable();
      this.#finalCallback = callback;
      this.#renderer?.finish(this.#rowCount);
    } catch (error) {
      this.#finalCallback = undefined;
      callback(error as Error);
    }
  }

  override _read(): void {
    this.#readerFull = false;
    const held = this.#heldWrite;
    this.#heldWrite = undefined;
    held?.();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const opened = this.#opened;
    // Drop the document as it is: ending it would only produce bytes nobody reads.
    opened?.document.removeAllListeners('data');
    opened?.document.removeAllListeners('end');
    opened?.document.destroy();
    this.#opened = undefined;
    if (this.#renderer) this.#truncatedCells = this.#renderer.truncatedCells;
    this.#renderer = undefined;
    this.#sample = [];
    this.#heldBytes = undefined;
    this.#heldWrite = undefined;
    this.#finalCallback = undefined;
    callback(error);
  }

  /** Measures the sampled records, lays out the table, draws page one and the sampled rows. */
  #startTable(): void {
    const opened = this.#opened;
    if (!opened) return;
    const sample = this.#sample;
    this.#sample = [];
    const { fontSize, measuredWidths, columnDefaults } = this.#options;
    // No records and no columns: an empty table, since there is no header to know.
    const columns: readonly NormalizedColumn[] =
      this.#options.columns ??
      (sample.length === 0 ? [] : normalizeColumns(undefined, sample[0], columnDefaults));
    const measures = measureColumns(columns, sample, opened, fontSize, measuredWidths);
    const layout = layoutTable({
      pageSize: this.#options.pageSize,
      orientation: this.#options.orientation,
      fontSize,
      columns: measures.map((measure, index) => ({ ...measure, fixed: columns[index]?.width })),
    });
    const plans = planColumns(
      columns,
      layout,
      measures.map((measure) => measure.numbersOnly),
    );
    const renderer = new TableRenderer(opened, this.#options, layout, plans);
    renderer.start();
    sample.forEach((record, row) => {
      renderer.writeRow(record, row);
    });
    this.#renderer = renderer;
    this.#releaseHeldBytes();
  }

  #releaseHeldBytes(): void {
    const held = this.#heldBytes;
    this.#heldBytes = undefined;
    for (const chunk of held ?? []) {
      if (!this.push(chunk)) this.#readerFull = true;
    }
  }

  #continueWhenReaderHasRoom(callback: WriteCallback): void {
    const pending = this.#opened?.document.readableLength ?? 0;
    if (this.#readerFull || pending >= this.readableHighWaterMark) {
      this.#heldWrite = callback;
    } else {
      callback();
    }
  }
}

import { measureEveryRecord } from '../columns/measure-every-record.js';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { ColumnMeter } from './measure-columns.js';
import type { PdfMeasuredWidths } from './measured-widths.js';
import { normalizePdfOptions, type PdfStreamOptions } from './normalize-pdf-options.js';
import { openPdfDocument } from './open-pdf-document.js';

export interface PdfColumnMeasurement {
  /**
   * Without `columns` in the options: every field of every record, in the order first seen (as
   * `unionOfKeys`), to pass as `columns`. `undefined` when the columns were given, when there are
   * no records or when a record is not an object (the writer then applies its own rule).
   */
  readonly columns: string[] | undefined;
  /** For the stream's `measuredWidths`. */
  readonly measuredWidths: PdfMeasuredWidths;
}

/**
 * Measures the columns over every record, in one pass, as the PDF stream with the same options
 * would draw them (its columns, `nullText`, `timeZone` and font), for an input that can be read
 * twice: pass the result as `measuredWidths` (and its `columns`) when writing it, and the layout
 * fits every cell, not only those of the first 100 records.
 *
 * A value that cannot be written is skipped here: the export itself fails on it, with its row.
 */
export async function measurePdfColumns<Row = unknown>(
  records: AsyncIterable<Row> | Iterable<Row>,
  options: PdfStreamOptions<Row> = {},
): Promise<PdfColumnMeasurement> {
  const normalized = normalizePdfOptions(options);
  const opened = openPdfDocument(normalized);
  try {
    // The column the writer makes of a key: the defaults, no type, no format.
    const [template] = normalizeColumns(['key'], undefined, normalized.columnDefaults);
    if (!template) throw new Error('normalizeColumns returned no column');
    const { glyphs } = opened.regular;
    const { columns, meters } = await measureEveryRecord(
      records,
      normalized.columns,
      template,
      (column) => new ColumnMeter(column, glyphs),
    );
    return {
      columns,
      measuredWidths: Object.fromEntries(meters.map((meter) => [meter.column.key, meter.width])),
    };
  } finally {
    opened.document.destroy();
  }
}

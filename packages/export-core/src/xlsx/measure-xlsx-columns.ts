import { measureEveryRecord } from '../columns/measure-every-record.js';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { normalizeXlsxOptions, type XlsxStreamOptions } from './normalize-xlsx-options.js';
import { XlsxColumnMeter, type XlsxMeasuredWidths } from './xlsx-column-widths.js';

export interface XlsxColumnMeasurement {
  /**
   * Without `columns` in the options: every field of every record, in the order first seen (as
   * `unionOfKeys`), to pass as `columns`. `undefined` when the columns were given, when there are
   * no records or when a record is not an object (the writer then applies its own rule).
   */
  readonly columns: string[] | undefined;
  /** For the stream's `measuredWidths`. */
  readonly measuredWidths: XlsxMeasuredWidths;
}

/**
 * Measures the columns over every record, in one pass, as the XLSX stream with the same options
 * would show them (its columns, `nullText` and `timeZone`), for an input that can be read twice:
 * pass the result as `measuredWidths` (and its `columns`) when writing it, and each column is as
 * wide as its widest cell (up to 60 characters), not only those of the first 100 records.
 */
export async function measureXlsxColumns<Row = unknown>(
  records: AsyncIterable<Row> | Iterable<Row>,
  options: XlsxStreamOptions<Row> = {},
): Promise<XlsxColumnMeasurement> {
  const normalized = normalizeXlsxOptions(options);
  // The column the writer makes of a key: the defaults, no type, no format.
  const [template] = normalizeColumns(['key'], undefined, normalized.columnDefaults);
  if (!template) throw new Error('normalizeColumns returned no column');
  const { columns, meters } = await measureEveryRecord(
    records,
    normalized.columns,
    template,
    (column) => new XlsxColumnMeter(column),
  );
  return {
    columns,
    measuredWidths: Object.fromEntries(meters.map((meter) => [meter.column.key, meter.width])),
  };
}

import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { KeyUnion } from '../columns/key-union.js';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { readCellValue } from '../values/cell-text.js';
import type { GlyphCache } from './glyph-cache.js';
import { ColumnMeter } from './measure-columns.js';
import type { PdfMeasuredWidths } from './measured-widths.js';
import {
  type NormalizedPdfOptions,
  normalizePdfOptions,
  type PdfStreamOptions,
} from './normalize-pdf-options.js';
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
    const meter =
      normalized.columns === undefined
        ? new FieldMeter(normalized, opened.regular.glyphs)
        : new ColumnsMeter(normalized.columns, opened.regular.glyphs);
    let row = 0;
    for await (const record of records) {
      if (!meter.add(record, row)) break;
      row += 1;
    }
    return meter.result(row);
  } finally {
    opened.document.destroy();
  }
}

interface Meter {
  /** `false` for a record that is not an object: the measuring stops there. */
  add(record: unknown, row: number): boolean;
  result(rows: number): PdfColumnMeasurement;
}

/** The columns are given: each record is read as the writer reads it. */
class ColumnsMeter implements Meter {
  readonly #meters: ColumnMeter[];

  constructor(columns: readonly NormalizedColumn[], glyphs: GlyphCache) {
    this.#meters = columns.map((column) => new ColumnMeter(column, glyphs));
  }

  add(record: unknown, row: number): boolean {
    if (record === null || typeof record !== 'object') return false;
    this.#meters.forEach((meter, position) => {
      const value = readCellValue(record as ExportRecord, meter.column.key, position);
      measureCell(meter, value, record as ExportRecord, row);
    });
    return true;
  }

  result(): PdfColumnMeasurement {
    return { columns: undefined, measuredWidths: widthsOf(this.#meters) };
  }
}

/** No columns given: every field of every record is one, measured as it comes. */
class FieldMeter implements Meter {
  readonly #union = new KeyUnion();
  readonly #meters = new Map<string, { meter: ColumnMeter; records: number }>();
  readonly #template: NormalizedColumn;
  readonly #glyphs: GlyphCache;
  #complete = true;

  constructor(options: NormalizedPdfOptions, glyphs: GlyphCache) {
    // The column the writer makes of a key: the defaults, no type, no format.
    const [template] = normalizeColumns(['key'], undefined, options.columnDefaults);
    if (!template) throw new Error('normalizeColumns returned no column');
    this.#template = template;
    this.#glyphs = glyphs;
  }

  add(record: unknown, row: number): boolean {
    if (record === null || typeof record !== 'object') {
      this.#complete = false;
      return false;
    }
    this.#union.add(record, row);
    // Own keys, in any order: an array's are its positions, as the writer's column keys.
    for (const key of Object.keys(record)) {
      const value = (record as Record<string, unknown>)[key];
      measureCell(this.#meterOf(key), value, record as ExportRecord, row);
    }
    return true;
  }

  result(rows: number): PdfColumnMeasurement {
    const { nullText } = this.#template;
    for (const entry of this.#meters.values()) {
      // A field some records lack is drawn as the nullText there.
      if (entry.records < rows && nullText !== '') entry.meter.addText(nullText);
    }
    const keys = this.#union.keys;
    return {
      columns: this.#complete && keys.length > 0 ? keys : undefined,
      measuredWidths: widthsOf([...this.#meters.values()].map((entry) => entry.meter)),
    };
  }

  #meterOf(key: string): ColumnMeter {
    let entry = this.#meters.get(key);
    if (!entry) {
      const column = Object.freeze({ ...this.#template, key, header: key });
      entry = { meter: new ColumnMeter(column, this.#glyphs), records: 0 };
      this.#meters.set(key, entry);
    }
    entry.records += 1;
    return entry.meter;
  }
}

function measureCell(meter: ColumnMeter, value: unknown, record: ExportRecord, row: number): void {
  try {
    meter.add(value, record, row);
  } catch {
    // The writer fails on this value with its row; measuring it is not the place.
  }
}

function widthsOf(meters: readonly ColumnMeter[]): PdfMeasuredWidths {
  return Object.fromEntries(meters.map((meter) => [meter.column.key, meter.width]));
}

import { readCellValue } from '../values/cell-text.js';
import type { ExportRecord, NormalizedColumn } from './column-types.js';
import { KeyUnion } from './key-union.js';

/** The widest cells of one column, however a format measures them. */
export interface CellMeter {
  readonly column: NormalizedColumn;
  /** Measures one cell as the writer writes it; a value that has no text may throw, as there. */
  add(value: unknown, record: ExportRecord, row: number): void;
  /** A cell written as text without reading a value: the nullText of a field a record lacks. */
  addText(text: string): void;
}

export interface EveryRecordMeasurement<Meter extends CellMeter> {
  /**
   * Without given columns: every field of every record, in the order first seen (as
   * `unionOfKeys`). `undefined` when the columns were given, when there are no records or when a
   * record is not an object (the writer then applies its own rule).
   */
  readonly columns: string[] | undefined;
  /** One meter a column: the given columns', or one a field. */
  readonly meters: Meter[];
}

/**
 * Measures every record, in one pass, as a writer with the same columns would write them: the
 * given columns, or (`columns` undefined) every field of every record, each made from
 * `template` as the writer makes a column of a key. A value that cannot be written is skipped:
 * the export itself fails on it, with its row.
 */
export async function measureEveryRecord<Meter extends CellMeter>(
  records: AsyncIterable<unknown> | Iterable<unknown>,
  columns: readonly NormalizedColumn[] | undefined,
  template: NormalizedColumn,
  meterOf: (column: NormalizedColumn) => Meter,
): Promise<EveryRecordMeasurement<Meter>> {
  const measure =
    columns === undefined
      ? new FieldsMeasure(template, meterOf)
      : new ColumnsMeasure(columns.map(meterOf));
  let row = 0;
  for await (const record of records) {
    if (record === null || typeof record !== 'object') {
      measure.stopped();
      break;
    }
    measure.add(record as ExportRecord, row);
    row += 1;
  }
  return measure.result(row);
}

interface Measure<Meter extends CellMeter> {
  add(record: ExportRecord, row: number): void;
  /** A record that is not an object: the measuring stops there. */
  stopped(): void;
  result(rows: number): EveryRecordMeasurement<Meter>;
}

/** The columns are given: each record is read as the writer reads it. */
class ColumnsMeasure<Meter extends CellMeter> implements Measure<Meter> {
  readonly #meters: Meter[];

  constructor(meters: Meter[]) {
    this.#meters = meters;
  }

  add(record: ExportRecord, row: number): void {
    this.#meters.forEach((meter, position) => {
      measureCell(meter, readCellValue(record, meter.column.key, position), record, row);
    });
  }

  stopped(): void {}

  result(): EveryRecordMeasurement<Meter> {
    return { columns: undefined, meters: this.#meters };
  }
}

/** No columns given: every field of every record is one, measured as it comes. */
class FieldsMeasure<Meter extends CellMeter> implements Measure<Meter> {
  readonly #union = new KeyUnion();
  readonly #meters = new Map<string, { meter: Meter; records: number }>();
  readonly #template: NormalizedColumn;
  readonly #meterOf: (column: NormalizedColumn) => Meter;
  #complete = true;

  constructor(template: NormalizedColumn, meterOf: (column: NormalizedColumn) => Meter) {
    this.#template = template;
    this.#meterOf = meterOf;
  }

  add(record: ExportRecord, row: number): void {
    this.#union.add(record, row);
    // Own keys, in any order: an array's are its positions, as the writer's column keys.
    for (const key of Object.keys(record)) {
      const value = (record as Record<string, unknown>)[key];
      measureCell(this.#fieldMeter(key), value, record, row);
    }
  }

  stopped(): void {
    this.#complete = false;
  }

  result(rows: number): EveryRecordMeasurement<Meter> {
    const { nullText } = this.#template;
    for (const entry of this.#meters.values()) {
      // A field some records lack is written as the nullText there.
      if (entry.records < rows && nullText !== '') entry.meter.addText(nullText);
    }
    const keys = this.#union.keys;
    return {
      columns: this.#complete && keys.length > 0 ? keys : undefined,
      meters: [...this.#meters.values()].map((entry) => entry.meter),
    };
  }

  #fieldMeter(key: string): Meter {
    let entry = this.#meters.get(key);
    if (!entry) {
      const column = Object.freeze({ ...this.#template, key, header: key });
      entry = { meter: this.#meterOf(column), records: 0 };
      this.#meters.set(key, entry);
    }
    entry.records += 1;
    return entry.meter;
  }
}

function measureCell(meter: CellMeter, value: unknown, record: ExportRecord, row: number): void {
  try {
    meter.add(value, record, row);
  } catch {
    // The writer fails on this value with its row; measuring it is not the place.
  }
}

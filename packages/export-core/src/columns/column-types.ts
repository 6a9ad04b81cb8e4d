export const columnAlignments = ['left', 'center', 'right'] as const;

export type ColumnAlignment = (typeof columnAlignments)[number];

/**
 * What a column holds. It decides how a value is written (dates in a time zone), where it sits
 * in a PDF cell (numbers right) and whether the CSV formula guard applies. Without one, each
 * value's own type decides.
 */
export const columnTypes = ['text', 'integer', 'decimal', 'date', 'datetime', 'boolean'] as const;

export type ColumnType = (typeof columnTypes)[number];

/** A record is a plain object keyed by column, or an array read by column position. */
export type ExportRecord = Readonly<Record<string, unknown>> | readonly unknown[];

export type ColumnFormatter = (value: unknown, record: ExportRecord) => string;

/**
 * The keys a column may name for records of type `Row`: its field names, so that a typo is a
 * type error. Any string when `Row` names no fields (`unknown`, `any`, `object`, a
 * `Record<string, …>`) or is an array, whose cells a column reads by its position.
 */
export type ColumnKey<Row = unknown> = unknown extends Row
  ? string
  : [Row] extends [never]
    ? string // `source: []`: no record to say anything
    : KnownColumnKey<Row>;

// Distributes over a union of row types: a column may name a field of any of them.
type KnownColumnKey<Row> = Row extends readonly unknown[]
  ? string
  : [FieldName<Row>] extends [never]
    ? string
    : FieldName<Row>;

type FieldName<Row> = Extract<keyof Row, string> | `${Extract<keyof Row, number>}`;

/**
 * A column as a caller describes it. `Key` narrows its key: `ColumnOptions<ColumnKey<Trade>>` is
 * a column of Trade's (a parameter of the key, not of the row, keeps columns covariant).
 */
export interface ColumnOptions<Key extends string = string> {
  key: Key;
  header?: string;
  width?: number;
  align?: ColumnAlignment;
  type?: ColumnType;
  /** IANA time zone for `date` and `datetime` values. Default: the export's `timeZone`, UTC. */
  timeZone?: string;
  format?: ColumnFormatter;
}

/** The columns, in order: each a bare key or a column's options. */
export type ColumnsOption<Row = unknown> = ReadonlyArray<
  ColumnKey<Row> | ColumnOptions<ColumnKey<Row>>
>;

/** A column as the writers use it: every field resolved. */
export interface NormalizedColumn {
  readonly key: string;
  readonly header: string;
  readonly width: number | undefined;
  readonly align: ColumnAlignment | undefined;
  readonly type: ColumnType | undefined;
  /** The column's time zone, else the export's, else UTC. */
  readonly timeZone: string;
  /** What null and a missing field are written as: the export's `nullText`, empty by default. */
  readonly nullText: string;
  readonly format: ColumnFormatter | undefined;
}

/** What every column of one export shares unless it says otherwise. */
export interface ColumnDefaults {
  /** IANA time zone for dates. Default `UTC`. */
  timeZone?: string;
  /** What null and a missing field are written as. Default: empty. */
  nullText?: string;
}

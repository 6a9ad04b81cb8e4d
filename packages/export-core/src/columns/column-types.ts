export const columnAlignments = ['left', 'center', 'right'] as const;

export type ColumnAlignment = (typeof columnAlignments)[number];

/** A record is a plain object keyed by column, or an array read by column position. */
export type ExportRecord = Readonly<Record<string, unknown>> | readonly unknown[];

export type ColumnFormatter = (value: unknown, record: ExportRecord) => string;

/** A column as a caller describes it. */
export interface ColumnOptions {
  key: string;
  header?: string;
  width?: number;
  align?: ColumnAlignment;
  format?: ColumnFormatter;
}

export type ColumnsOption = ReadonlyArray<string | ColumnOptions>;

/** A column as the writers use it: every field resolved. */
export interface NormalizedColumn {
  readonly key: string;
  readonly header: string;
  readonly width: number | undefined;
  readonly align: ColumnAlignment | undefined;
  readonly format: ColumnFormatter | undefined;
}

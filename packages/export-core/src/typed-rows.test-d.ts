// Type tests: `tsc --noEmit` (the package's typecheck, run by `pnpm check`) compiles this file,
// so each `@ts-expect-error` must meet an error and every other line must compile. Nothing here
// runs: the calls sit in functions that are never called.
import type { Readable } from 'node:stream';
import { expectTypeOf } from 'vitest';
import type { ColumnKey, ColumnsOption } from './columns/column-types.js';
import { createCsvStream } from './csv/create-csv-stream.js';
import type { RunExportOptions } from './export-options.js';
import type { ExportFormat } from './formats.js';
import { createPdfStream } from './pdf/create-pdf-stream.js';
import { measurePdfColumns } from './pdf/measure-pdf-columns.js';
import type { ExportPool } from './pool/create-export-pool.js';
import { runExport } from './run-export.js';
import { fromNdjson } from './source/from-ndjson.js';

interface Trade {
  id: number;
  amount: number;
  symbol?: string;
}

declare const trades: Trade[];
declare const unknownRecords: Iterable<unknown>;
declare const readable: Readable;
declare const format: ExportFormat;
declare const pool: ExportPool;
const destination = 'out.csv';

export function columnKeys() {
  expectTypeOf<ColumnKey<Trade>>().toEqualTypeOf<'id' | 'amount' | 'symbol'>();
  // Nothing known of the fields: any key.
  expectTypeOf<ColumnKey<unknown>>().toEqualTypeOf<string>();
  expectTypeOf<ColumnKey<never>>().toEqualTypeOf<string>();
  expectTypeOf<ColumnKey<object>>().toEqualTypeOf<string>();
  expectTypeOf<ColumnKey<Record<string, unknown>>>().toEqualTypeOf<string>();
  // An array record is read by column position, whatever the key.
  expectTypeOf<ColumnKey<[number, string]>>().toEqualTypeOf<string>();
  // A union of row types: a field of any of them.
  expectTypeOf<ColumnKey<{ a: 1 } | { b: 2 }>>().toEqualTypeOf<'a' | 'b'>();
  expectTypeOf<ColumnKey<{ 2024: number }>>().toEqualTypeOf<'2024'>();
  // Typed columns are columns of any record too.
  expectTypeOf<ColumnsOption<Trade>>().toExtend<ColumnsOption>();
}

export function typedRunExport() {
  runExport({ source: trades, format: 'csv', columns: ['id', 'amount'], destination });
  runExport({
    source: trades,
    format: 'pdf',
    columns: ['id', { key: 'amount', header: 'Amount', type: 'decimal' }],
    destination,
  });
  // @ts-expect-error: a typo in a column key ('amuont') is a type error
  runExport({ source: trades, format: 'csv', columns: ['id', 'amuont'], destination });
  // @ts-expect-error: and so it is in a column given as an object
  runExport({ source: trades, format: 'csv', columns: [{ key: 'amuont' }], destination });
  // Row may be given explicitly too.
  runExport<Trade>({
    source: unknownRecords as Trade[],
    format: 'csv',
    // @ts-expect-error: Trade has no field qty
    columns: ['qty'],
    destination,
  });
}

export function untypedRunExport() {
  // Records of unknown type (NDJSON, an object-mode Readable, an Iterable<unknown>): any key.
  runExport({ source: unknownRecords, format: 'csv', columns: ['a'], destination });
  runExport({ source: fromNdjson(readable), format: 'csv', columns: ['a'], destination });
  runExport({ source: readable, format: 'csv', columns: ['a'], destination });
  // An empty array literal, whose element type is never.
  runExport({ source: [], format: 'csv', columns: ['a'], destination });
  const keys: string[] = ['a', 'b'];
  runExport({ source: unknownRecords, format: 'pdf', columns: keys, destination });
  // A format known only at run time, without format options.
  runExport({ source: unknownRecords, format, destination });
}

export function formatOptions() {
  runExport({ source: trades, format: 'csv', csv: { profile: 'excel' }, destination });
  runExport({ source: trades, format: 'pdf', pdf: { title: 'Trades' }, destination });
  // @ts-expect-error: PDF options for a CSV
  runExport({ source: trades, format: 'csv', pdf: { title: 'Trades' }, destination });
  // @ts-expect-error: CSV options for a PDF
  runExport({ source: trades, format: 'pdf', csv: { bom: true }, destination });
  // @ts-expect-error: a format known only at run time takes no format's options
  runExport({ source: trades, format, csv: { bom: true }, destination });
  expectTypeOf<Extract<RunExportOptions, { format: 'csv' }>['pdf']>().toEqualTypeOf<undefined>();
}

export function streams() {
  createCsvStream<Trade>({ columns: ['id', { key: 'symbol', header: 'Symbol' }] });
  // @ts-expect-error: a typo in a CSV stream's columns
  createCsvStream<Trade>({ columns: ['amuont'] });
  createPdfStream<Trade>({ columns: ['amount'] });
  // @ts-expect-error: a typo in a PDF stream's columns
  createPdfStream<Trade>({ columns: ['amuont'] });
  // Without a Row, any key.
  createCsvStream({ columns: ['amuont'] });
  createPdfStream({ columns: ['amuont'] });
  // Both are typed as what the README says they are: Duplex streams.
  expectTypeOf(createCsvStream()).toExtend<import('node:stream').Duplex>();
  expectTypeOf(createPdfStream()).toExtend<import('node:stream').Duplex>();
  void measurePdfColumns(trades, { columns: ['id'] });
  // @ts-expect-error: measuring takes the records' type from them too
  void measurePdfColumns(trades, { columns: ['amuont'] });
}

export function pooledExports() {
  // Bytes a worker parses are records of unknown type: any key.
  void pool.run({
    source: { ndjson: { file: 'in.ndjson' } },
    format: 'csv',
    columns: ['a'],
    destination,
  });
  void pool.run({ source: { records: trades }, format: 'csv', columns: ['id'], destination });
  // @ts-expect-error: records the caller's thread sends keep their type
  void pool.run({ source: { records: trades }, format: 'csv', columns: ['amuont'], destination });
  // @ts-expect-error: a pool takes each format's own options only, too
  void pool.run({ source: { records: trades }, format: 'csv', pdf: {}, destination });
}

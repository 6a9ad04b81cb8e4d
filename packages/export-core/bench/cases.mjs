// Each case writes `rows` generated records to `path`, the way its library is meant to be used.
import { createReadStream, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { format as fastCsvFormat } from '@fast-csv/format';
import { stringify } from 'csv-stringify';
import PDFDocument from 'pdfkit';
import { createExportPool, fromNdjson, runExport } from '../dist/index.js';
import { generateRecords } from './generate-records.mjs';

const dejaVuSans = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const columns = ['id', 'timestamp', 'value', 'category', 'status'];

async function naivePdfkit(rows, path, font) {
  const doc = new PDFDocument({ size: 'A4', margin: 36 });
  const done = pipeline(doc, createWriteStream(path));
  doc.font(font).fontSize(8);
  const widths = [50, 140, 80, 110, 80];
  const rowHeight = 12;
  const bottom = doc.page.height - 36;
  let y = 36;
  for (const record of generateRecords(rows)) {
    if (y + rowHeight > bottom) {
      doc.addPage();
      y = 36;
    }
    let x = 36;
    for (let index = 0; index < columns.length; index += 1) {
      const width = widths[index];
      doc.text(String(record[columns[index]]), x, y, { lineBreak: false, width });
      x += width;
    }
    y += rowHeight;
  }
  doc.end();
  await done;
}

const excelColumns = columns.map((key) => ({ header: key, key }));

// Loaded only by its cases, so that the other cases' peak RSS does not carry it.
const loadExcelJs = async () => (await import('exceljs')).default;

/** exceljs's streaming writer as its README shows it, with inline strings as ours. */
async function exceljsStreaming(rows, path) {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.columns = excelColumns;
  for (const record of generateRecords(rows)) sheet.addRow(record).commit();
  sheet.commit();
  await workbook.commit();
}

/** exceljs's workbook in memory, written at the end. */
async function exceljsInMemory(rows, path) {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.columns = excelColumns;
  for (const record of generateRecords(rows)) sheet.addRow(record);
  await workbook.xlsx.writeFile(path);
}

/** The input of the NDJSON cases, written before the clock starts. */
async function ndjsonFileOf(rows, path) {
  const input = `${path}.ndjson`;
  // Written a thousand lines at a time, so that making it leaves the peak RSS to the export.
  const lines = Readable.from(
    (function* thousands() {
      let text = '';
      let count = 0;
      for (const record of generateRecords(rows)) {
        text += `${JSON.stringify(record)}\n`;
        count += 1;
        if (count % 1000 === 0) {
          yield text;
          text = '';
        }
      }
      if (text !== '') yield text;
    })(),
  );
  await pipeline(lines, createWriteStream(input));
  return input;
}

/** A warm pool of one worker, as a process keeps one: its start is not the export's cost. */
async function warmPool() {
  const pool = createExportPool({ size: 1 });
  const nowhere = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  await pool.run({ source: { records: generateRecords(10) }, format: 'pdf', destination: nowhere });
  return pool;
}

// A case is a function of (rows, path), or { prepare, run, cleanup } when something must exist
// before the clock starts (a warm pool, an input file).
export const cases = {
  'export-core csv': (rows, path) =>
    runExport({ source: generateRecords(rows), format: 'csv', destination: path }),
  'raw fast-csv': (rows, path) =>
    pipeline(
      Readable.from(generateRecords(rows)),
      fastCsvFormat({ headers: true }),
      createWriteStream(path),
    ),
  'raw csv-stringify': (rows, path) =>
    pipeline(
      Readable.from(generateRecords(rows)),
      stringify({ header: true }),
      createWriteStream(path),
    ),
  'export-core pdf': (rows, path) =>
    runExport({ source: generateRecords(rows), format: 'pdf', destination: path }),
  'naive pdfkit DejaVu': (rows, path) => naivePdfkit(rows, path, dejaVuSans),
  'export-core xlsx': (rows, path) =>
    runExport({ source: generateRecords(rows), format: 'xlsx', destination: path }),
  'exceljs streaming': exceljsStreaming,
  'exceljs in-memory': exceljsInMemory,
  'naive pdfkit Helvetica': (rows, path) => naivePdfkit(rows, path, 'Helvetica'),
  'export-core csv, pool': {
    prepare: warmPool,
    run: (rows, path, pool) =>
      pool.run({ source: { records: generateRecords(rows) }, format: 'csv', destination: path }),
    cleanup: (pool) => pool.close(),
  },
  'export-core pdf, pool': {
    prepare: warmPool,
    run: (rows, path, pool) =>
      pool.run({ source: { records: generateRecords(rows) }, format: 'pdf', destination: path }),
    cleanup: (pool) => pool.close(),
  },
  'export-core csv from NDJSON': {
    prepare: (rows, path) => ndjsonFileOf(rows, path),
    run: (_rows, path, input) =>
      runExport({ source: fromNdjson(createReadStream(input)), format: 'csv', destination: path }),
  },
  'export-core csv from NDJSON, pool': {
    prepare: async (rows, path) => ({
      pool: await warmPool(),
      input: await ndjsonFileOf(rows, path),
    }),
    run: (_rows, path, { pool, input }) =>
      pool.run({ source: { ndjson: createReadStream(input) }, format: 'csv', destination: path }),
    cleanup: ({ pool }) => pool.close(),
  },
};

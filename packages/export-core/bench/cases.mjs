// Each case writes `rows` generated records to `path`, the way its library is meant to be used.
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { format as fastCsvFormat } from '@fast-csv/format';
import { stringify } from 'csv-stringify';
import PDFDocument from 'pdfkit';
import { runExport } from '../dist/index.js';
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
  'naive pdfkit Helvetica': (rows, path) => naivePdfkit(rows, path, 'Helvetica'),
};

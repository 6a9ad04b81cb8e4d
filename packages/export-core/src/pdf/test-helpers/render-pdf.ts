import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TruncatedCells } from '../../values/truncated-cells.js';
import { createPdfStream } from '../create-pdf-stream.js';
import type { PdfStreamOptions } from '../normalize-pdf-options.js';

export const fixedGeneratedAt = new Date('2024-05-01T12:00:00.000Z');

/** Pipes the records through `createPdfStream` and returns the whole file. */
export async function renderPdf(
  records: Iterable<unknown>,
  options: PdfStreamOptions = {},
): Promise<Buffer> {
  return (await renderPdfReport(records, options)).pdf;
}

/** As `renderPdf`, with what the stream reports once it is done. */
export async function renderPdfReport(
  records: Iterable<unknown>,
  options: PdfStreamOptions = {},
): Promise<{ pdf: Buffer; truncatedCells: TruncatedCells }> {
  const chunks: Buffer[] = [];
  const stream = createPdfStream({ generatedAt: fixedGeneratedAt, ...options });
  await pipeline(
    Readable.from(records),
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
  );
  return { pdf: Buffer.concat(chunks), truncatedCells: stream.truncatedCells };
}

/** `count` records `{ id, name, amount }`, ids from 1. */
export function* numberedRecords(count: number): Generator<Record<string, unknown>> {
  for (let id = 1; id <= count; id += 1) {
    yield { id, name: `name ${id}`, amount: id * 1.5 };
  }
}

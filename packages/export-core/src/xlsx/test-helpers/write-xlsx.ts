import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TruncatedCells } from '../../values/truncated-cells.js';
import { createXlsxStream } from '../create-xlsx-stream.js';
import type { XlsxStreamOptions } from '../normalize-xlsx-options.js';

/** The bytes `createXlsxStream` writes for `records`, and the cells it cut. */
export async function writeXlsx(
  records: Iterable<unknown>,
  options?: XlsxStreamOptions,
): Promise<{ bytes: Buffer; truncatedCells: TruncatedCells }> {
  const stream = createXlsxStream(options);
  const chunks: Buffer[] = [];
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
  return { bytes: Buffer.concat(chunks), truncatedCells: stream.truncatedCells };
}

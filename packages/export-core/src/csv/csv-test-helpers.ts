import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { createCsvStream } from './create-csv-stream.js';
import type { CsvStreamOptions } from './normalize-csv-options.js';

/** Streams the records through createCsvStream and returns every byte it wrote. */
export async function csvBytes(
  records: unknown[],
  options: CsvStreamOptions = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from(records), createCsvStream(options), async (source) => {
    chunks.push(await buffer(source));
  });
  return Buffer.concat(chunks);
}

export async function csvText(records: unknown[], options: CsvStreamOptions = {}): Promise<string> {
  return (await csvBytes(records, options)).toString('utf8');
}

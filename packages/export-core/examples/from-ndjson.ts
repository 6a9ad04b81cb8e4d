import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromNdjson, runExport } from '@org/export-core';

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });
const input = join(folder, 'trades.ndjson');
await writeFile(
  input,
  '{"orderId":1234567890123456789,"price":100.10}\n{"orderId":2,"price":-0}\n',
);

// Any stream of bytes: a file, a socket, an HTTP request (in Fastify, register a content-type
// parser for application/x-ndjson that leaves the body a stream; @org/export-fastify does).
const result = await runExport({
  source: fromNdjson(createReadStream(input), { maxLineBytes: 1 << 20 }),
  format: 'csv',
  destination: join(folder, 'from-ndjson.csv'),
});
console.log(result.rows); // 2, written exactly: 1234567890123456789,100.10 and 2,-0

import { createReadStream } from 'node:fs';
import { fromNdjson } from '@org/export-core';

/** Read lazily: a queued job holds no open file until it starts. */
export async function* spooledRecords(path: string, maxLineBytes: number): AsyncGenerator<unknown> {
  const input = createReadStream(path);
  try {
    yield* fromNdjson(input, { maxLineBytes });
  } finally {
    input.destroy();
  }
}

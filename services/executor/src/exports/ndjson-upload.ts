import type { Readable } from 'node:stream';

/**
 * The chunks of an NDJSON upload, read as they arrive, for a worker to parse. Stopping early
 * (too many rows, a bad line) leaves the upload open rather than destroying it: destroying a
 * request cuts its connection, so the client, still sending, would lose the 4xx that says why,
 * and a socket left paused would hold up the server's close. The error handler reads and drops
 * the rest.
 */
export function ndjsonUploadChunks(upload: Readable): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => upload.iterator({ destroyOnReturn: false }) };
}

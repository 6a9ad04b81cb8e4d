import type { Readable } from 'node:stream';
import { fromNdjson } from '@org/export-core';

/**
 * The records of an NDJSON upload, read as they arrive. Stopping early (too many rows, a bad
 * line) leaves the upload open rather than destroying it: destroying a request cuts its
 * connection, so the client, still sending, would lose the 4xx that says why, and a socket
 * left paused would hold up the server's close. The error handler reads and drops the rest.
 */
export function ndjsonUploadRecords(upload: Readable, maxLineBytes: number) {
  const chunks = { [Symbol.asyncIterator]: () => upload.iterator({ destroyOnReturn: false }) };
  return fromNdjson(chunks, { maxLineBytes });
}

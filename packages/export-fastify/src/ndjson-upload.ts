import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { NotNdjsonUploadError } from './errors.js';

export const ndjsonContentType = 'application/x-ndjson';

/** Whether the request is an NDJSON upload whose body the plugin's parser left a stream. */
export function isNdjsonUpload(request: FastifyRequest): boolean {
  const mediaType = request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === ndjsonContentType && isReadable(request.body);
}

/**
 * The bytes of an NDJSON upload, read as they arrive: for `fromNdjson`, or for a worker pool
 * (`{ ndjson: ndjsonUploadOf(request) }`). Stopping early (a bad line, too many rows) leaves
 * the upload open rather than destroying it: destroying a request cuts its connection, and the
 * client, still sending, would lose the 4xx that says why. Node reads and drops the rest once
 * the answer is sent. Throws EXPORT_FASTIFY_NOT_NDJSON (415) for any other request.
 */
export function ndjsonUploadOf(request: FastifyRequest): AsyncIterable<Uint8Array> {
  if (!isNdjsonUpload(request)) throw new NotNdjsonUploadError();
  const upload = request.body as Readable;
  return { [Symbol.asyncIterator]: () => upload.iterator({ destroyOnReturn: false }) };
}

function isReadable(body: unknown): body is Readable {
  return typeof (body as Partial<Readable> | null)?.iterator === 'function';
}

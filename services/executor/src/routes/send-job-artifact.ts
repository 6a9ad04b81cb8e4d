import { attachmentDisposition, exportContentTypes } from '@org/export-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailedError, RangeNotSatisfiableError } from '../errors.js';
import { parseByteRange } from '../exports/byte-range.js';
import {
  entityTagOf,
  matchHolds,
  noneMatchHits,
  rangeStillApplies,
} from '../exports/entity-tag.js';
import type { JobArtifact } from '../jobs/job-queue.js';

export interface SendJobArtifactOptions {
  /**
   * Answers 307 to a presigned URL of the store instead of the bytes, when the store makes them
   * (EXPORT_S3_PRESIGNED_DOWNLOADS): the bytes then never pass through the executor.
   */
  redirectToStore: boolean;
}

// A presigned URL is followed at once; it need not outlive the redirect by much.
const presignedUrlSeconds = 300;

/**
 * Answers with a done job's file, with an ETag (its SHA-256), conditional requests and byte
 * ranges: the same for the bearer download and a signed link.
 */
export async function sendJobArtifact(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  artifact: JobArtifact,
  { redirectToStore }: SendJobArtifactOptions,
): Promise<FastifyReply> {
  const fileName = `export-${id}.${artifact.format}`;
  if (redirectToStore && artifact.presignedUrl) {
    const location = await artifact.presignedUrl({
      expiresInSeconds: presignedUrlSeconds,
      fileName,
      contentType: exportContentTypes[artifact.format],
    });
    // The URL is a credential for a few minutes: never cached, never passed on as a Referer.
    return reply
      .code(307)
      .header('location', location)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(undefined as unknown as null);
  }
  const entityTag = entityTagOf(artifact.sha256);
  reply.header('etag', entityTag).header('accept-ranges', 'bytes');
  // RFC 9110 §13.2.2: If-Match first, then If-None-Match, then If-Range and Range.
  const ifMatch = request.headers['if-match'];
  if (!matchHolds(ifMatch, entityTag)) throw new PreconditionFailedError(String(ifMatch));
  if (noneMatchHits(request.headers['if-none-match'], entityTag)) {
    // No body, so no content type: a 304 only confirms the client's copy.
    return reply.code(304).send(undefined as unknown as null);
  }
  const ifRange = request.headers['if-range'];
  const rangeHeader = rangeStillApplies(Array.isArray(ifRange) ? ifRange[0] : ifRange, entityTag)
    ? request.headers.range
    : undefined;
  const answer = parseByteRange(rangeHeader, artifact.size);
  if (answer.kind === 'unsatisfiable') {
    reply.header('content-range', `bytes */${artifact.size}`);
    throw new RangeNotSatisfiableError(String(rangeHeader), artifact.size);
  }
  reply
    .header('content-type', exportContentTypes[artifact.format])
    .header('content-disposition', attachmentDisposition(fileName));
  // HEAD: the headers alone; opening the file would read it all only to throw it away.
  const wantsBody = request.method !== 'HEAD';
  if (answer.kind === 'full') {
    return reply
      .header('content-length', artifact.size)
      .send(wantsBody ? await artifact.open() : undefined);
  }
  const { start, end } = answer.range;
  return reply
    .code(206)
    .header('content-range', `bytes ${start}-${end}/${artifact.size}`)
    .header('content-length', end - start + 1)
    .send(wantsBody ? await artifact.open(answer.range) : undefined);
}

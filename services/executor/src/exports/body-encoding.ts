import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnsupportedContentEncodingError } from '../errors.js';

// Enough of the header to recognise it in the message; a header may be 16 KiB.
const maxQuotedLength = 64;

/**
 * A preParsing hook: a body sent with a Content-Encoding (gzip, br, …) is refused with a 415
 * before it is read, naming the codings accepted (RFC 7694), rather than parsed as if plain.
 */
export async function refuseEncodedBody(request: FastifyRequest, reply: FastifyReply) {
  if (request.routeOptions.schema?.body === undefined) return;
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') return;
  reply.header('accept-encoding', 'identity');
  throw new UnsupportedContentEncodingError(JSON.stringify(encoding.slice(0, maxQuotedLength)));
}

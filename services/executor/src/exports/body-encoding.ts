import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnsupportedContentEncodingError } from '../errors.js';
import { quotedForMessage } from '../quoted-for-message.js';

/**
 * A preParsing hook: a body sent with a Content-Encoding (gzip, br, …) is refused with a 415
 * before it is read, naming the codings accepted (RFC 7694), rather than parsed as if plain.
 */
export async function refuseEncodedBody(request: FastifyRequest, reply: FastifyReply) {
  if (request.routeOptions.schema?.body === undefined) return;
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') return;
  reply.header('accept-encoding', 'identity');
  throw new UnsupportedContentEncodingError(quotedForMessage(encoding));
}

import type { FastifyInstance } from 'fastify';
import { InvalidRequestError, UnauthorizedError } from '../errors.js';
import { headerCount } from '../exports/header-count.js';
import { createAuthenticator } from './create-authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user, when API tokens are configured. */
    exportUser: string | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without a token (the metrics). */
    public?: boolean;
  }
}

/**
 * Every route of the context, except those marked `config.public`, wants a known bearer token
 * and learns its user (`request.exportUser`). No tokens: the API is open, and a warning says so.
 */
export function addAuthHook(app: FastifyInstance, apiTokens: ReadonlyMap<string, string>): void {
  const authenticate = createAuthenticator(apiTokens);
  app.decorateRequest('exportUser', undefined);
  if (apiTokens.size === 0) {
    app.log.warn('EXPORT_API_TOKENS is not set: the export API is open to anyone who can reach it');
    return;
  }
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public) return;
    // Node keeps the first of several Authorization headers: which one counts is no guess.
    if (headerCount(request.raw.rawHeaders, 'authorization') > 1) {
      throw new InvalidRequestError('headers/authorization must be sent once');
    }
    const user = authenticate(request.headers.authorization);
    if (user === undefined) {
      // RFC 9110 §11.6.1: a 401 names the scheme it wants.
      reply.header('www-authenticate', 'Bearer');
      throw new UnauthorizedError();
    }
    request.exportUser = user;
  });
}

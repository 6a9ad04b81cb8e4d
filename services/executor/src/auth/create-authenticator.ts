import { createHash, timingSafeEqual } from 'node:crypto';

/** The user a bearer token belongs to, or undefined. */
export type Authenticator = (authorization: string | undefined) => string | undefined;

const bearer = /^Bearer ([^\s]+)$/i;

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Compares the presented token with every configured one in constant time: digests have equal
 * lengths, and every token is compared whether or not one already matched.
 */
export function createAuthenticator(tokens: ReadonlyMap<string, string>): Authenticator {
  const known = [...tokens].map(([token, user]) => ({ digest: digest(token), user }));
  return (authorization) => {
    const token = authorization === undefined ? undefined : bearer.exec(authorization)?.[1];
    if (token === undefined) return undefined;
    const presented = digest(token);
    let user: string | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(candidate.digest, presented)) user ??= candidate.user;
    }
    return user;
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { LinkExpiredError, LinkInvalidError } from '../errors.js';

export interface DownloadLinkOptions {
  /** The first signs; every one verifies, so a secret can be rotated without breaking links. */
  secrets: readonly string[];
  /** How long a link works from the moment it is made. */
  ttlSeconds: number;
  /** Prefixed to every link (`https://exports.example.com`); relative links without it. */
  publicUrl?: string | undefined;
  now?: () => number;
}

export interface DownloadLink {
  url: string;
  /** ISO 8601. */
  expiresAt: string;
}

/** Links to a done job's file that need no bearer token, for a browser or an e-mail. */
export interface DownloadLinks {
  /** A link to the job's file, valid for the TTL from now. */
  linkTo(id: string): DownloadLink;
  /**
   * Throws EXECUTOR_LINK_INVALID (403) unless `signature` is one of the secrets' over the id
   * and `expires`, then EXECUTOR_LINK_EXPIRED (403) once `expires` has passed.
   */
  verify(id: string, expires: string | undefined, signature: string | undefined): void;
}

/** Where a signed link points; the bearer route stays /export/jobs/:id/download. */
export function downloadLinkPath(id: string): string {
  return `/export/downloads/${encodeURIComponent(id)}`;
}

const expiresPattern = /^[0-9]{1,12}$/;
// base64url of the 32 bytes of an HMAC-SHA256.
const signaturePattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * The signature of a link to job `id` expiring at `expires` (unix seconds). The purpose prefix
 * keeps it from being mistaken for any other HMAC made under the same secret (a webhook's).
 */
export function signDownloadLink(secret: string, id: string, expires: number): string {
  return createHmac('sha256', secret)
    .update(`export-download-link:v1\n${id}\n${expires}`)
    .digest('base64url');
}

export function createDownloadLinks(options: DownloadLinkOptions): DownloadLinks {
  const { secrets, ttlSeconds } = options;
  const now = options.now ?? Date.now;
  const base = (options.publicUrl ?? '').replace(/\/+$/, '');
  const [signingSecret] = secrets;
  if (signingSecret === undefined) throw new TypeError('download links need a secret');
  return {
    linkTo(id) {
      const expires = Math.floor(now() / 1000) + ttlSeconds;
      const query = new URLSearchParams({
        expires: String(expires),
        signature: signDownloadLink(signingSecret, id, expires),
      });
      return {
        url: `${base}${downloadLinkPath(id)}?${query}`,
        expiresAt: new Date(expires * 1000).toISOString(),
      };
    },
    verify(id, expires, signature) {
      if (expires === undefined || !expiresPattern.test(expires)) {
        throw new LinkInvalidError('querystring/expires must be the unix time the link carried');
      }
      if (signature === undefined || !signaturePattern.test(signature)) {
        throw new LinkInvalidError('querystring/signature must be the signature the link carried');
      }
      // Compared as text: decoding would let the unused low bits of the last character vary.
      const given = Buffer.from(signature);
      // Every secret is tried, so the time taken says nothing of which one matched.
      let matched = false;
      for (const secret of secrets) {
        const expected = Buffer.from(signDownloadLink(secret, id, Number(expires)));
        if (timingSafeEqual(given, expected)) matched = true;
      }
      if (!matched) {
        throw new LinkInvalidError('its signature does not match; it was altered or cut short');
      }
      // Only a link this service signed gets to learn it expired.
      if (Number(expires) * 1000 <= now()) {
        throw new LinkExpiredError(new Date(Number(expires) * 1000).toISOString());
      }
    },
  };
}

import { InvalidRequestError } from '../errors.js';
import { quotedForMessage } from '../quoted-for-message.js';
import type { WebhookHosts } from './webhook-hosts.js';

/**
 * A submission's `callbackUrl`, checked before anything is read or spooled: an http(s) URL
 * without credentials, on a host the operator listed. `field` names it in the 400.
 */
export function callbackUrlOf(
  value: string | undefined,
  field: string,
  hosts: WebhookHosts | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  if (hosts === undefined) {
    throw new InvalidRequestError(
      `${field} cannot be used: this executor sends no webhooks (EXPORT_WEBHOOK_HOSTS and EXPORT_WEBHOOK_SECRET are not set)`,
    );
  }
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== ''
  ) {
    throw new InvalidRequestError(
      `${field} must be an http:// or https:// URL without credentials, got ${quotedForMessage(value)}`,
    );
  }
  if (!hosts.admits(url)) {
    throw new InvalidRequestError(
      `${field} names the host ${quotedForMessage(url.host)}, which is not in EXPORT_WEBHOOK_HOSTS`,
    );
  }
  return url.href;
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a receiver checks: Stripe's scheme, so its habits (and snippets) carry over. */
export const webhookSignatureHeader = 'export-signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the time is signed with the body, so
 * a receiver that rejects old timestamps rejects replays.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

export interface WebhookVerification {
  secret: string;
  /** The header as received. */
  header: string | undefined;
  /** The raw body as received, before any JSON parsing. */
  body: string;
  /** How old a delivery may be, in seconds. Default 300, as Stripe's. */
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/**
 * What a receiver does, in the words of docs/api.md: true when one `v1` of the header is the
 * body's signature under `secret` and its `t` is recent.
 */
export function verifyWebhookSignature(verification: WebhookVerification): boolean {
  const { secret, header, body, toleranceSeconds = 300 } = verification;
  const nowSeconds = verification.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (header === undefined) return false;
  const parts = header.split(',').map((part) => part.split('=', 2));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isSafeInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return false;
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body).split('v1=')[1] ?? '');
  return parts.some(([key, value]) => {
    if (key !== 'v1' || value === undefined) return false;
    const given = Buffer.from(value);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

import type { FastifyRequest } from 'fastify';
import { UnsupportedCharsetError } from '../errors.js';
import { quotedForMessage } from '../quoted-for-message.js';

// Every body the export routes read is parsed as UTF-8, JSON and NDJSON alike.
const bodyMediaTypes: ReadonlySet<string> = new Set(['application/json', 'application/x-ndjson']);
const utf8Names: ReadonlySet<string> = new Set(['utf-8', 'utf8']);
/** The `charset` parameters of a Content-Type, as given (unquoted): usually none or one. */
export function charsetsOf(contentType: string): string[] {
  const charsets: string[] = [];
  for (const parameter of contentType.split(';').slice(1)) {
    const separator = parameter.indexOf('=');
    if (separator === -1) continue;
    if (parameter.slice(0, separator).trim().toLowerCase() !== 'charset') continue;
    const value = parameter.slice(separator + 1).trim();
    charsets.push(
      value.length >= 2 && value.startsWith('"') && value.endsWith('"')
        ? value.slice(1, -1)
        : value,
    );
  }
  return charsets;
}

/**
 * Refuses a JSON or NDJSON body whose Content-Type declares a charset other than UTF-8 (no
 * charset is UTF-8): decoding ISO-8859-1 bytes as UTF-8 would turn `é` into U+FFFD and export
 * that as if it had been sent.
 */
export function refuseNonUtf8Charset(contentType: string | undefined): void {
  if (contentType === undefined) return;
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (!bodyMediaTypes.has(mediaType)) return;
  for (const charset of charsetsOf(contentType)) {
    if (!utf8Names.has(charset.toLowerCase())) {
      throw new UnsupportedCharsetError(quotedForMessage(charset));
    }
  }
}

/**
 * A preParsing hook: the charset is refused before the body is read, so a large upload is
 * answered at once (the error handler reads and drops the rest).
 */
export async function refuseNonUtf8Body(request: FastifyRequest): Promise<void> {
  if (request.routeOptions.schema?.body === undefined) return;
  refuseNonUtf8Charset(request.headers['content-type']);
}

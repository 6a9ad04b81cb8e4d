import { AssertExportError } from './errors.js';

export interface ScrapeOptions {
  readonly metricsUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
  /** For the whole scrape: connecting, the status line and the body. */
  readonly timeoutMs: number;
}

const bodyExcerptLength = 200;

/**
 * One GET of the exposition with Node's fetch. Resolves with the body of a 200; anything else
 * (refused connection, timeout, another status) throws `ASSERT_EXPORT_SCRAPE_FAILED` with the
 * URL, and the status when there is one.
 */
export async function scrapeMetrics(options: ScrapeOptions): Promise<string> {
  const { metricsUrl, token, timeoutMs } = options;
  const headers: Record<string, string> = { accept: 'text/plain;version=0.0.4' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const failed = (reason: string, cause: unknown) =>
    new AssertExportError(
      'ASSERT_EXPORT_SCRAPE_FAILED',
      `could not scrape ${metricsUrl}: ${reason}`,
      {
        cause,
      },
    );
  try {
    const response = await fetch(metricsUrl, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    if (response.status !== 200) {
      const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, bodyExcerptLength);
      const status = `${response.status} ${response.statusText}`.trim();
      throw failed(`HTTP ${status}${excerpt === '' ? '' : `: ${excerpt}`}`, undefined);
    }
    return body;
  } catch (error) {
    if (error instanceof AssertExportError) throw error;
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw failed(`no complete answer within ${timeoutMs} ms (--timeout-ms)`, error);
    }
    throw failed(describeFetchError(error), error);
  }
}

/** fetch rejects with `TypeError: fetch failed`; the reason worth printing is in its cause. */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    if (cause.message !== '') return cause.message;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : String(error);
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface WebhookRequest {
  url: URL;
  body: string;
  headers: Record<string, string>;
  /** Until the connection is open. */
  connectTimeoutMs: number;
  /** From the request sent to the response's end (its first few KB). */
  responseTimeoutMs: number;
}

/**
 * How one attempt went: `delivered` on a 2xx; `retry` on a network error, a timeout, a 429 or a
 * 5xx; `rejected` on anything else (a 3xx, which is never followed, or a 4xx): the receiver
 * answered, and asking again would get the same answer.
 */
export type WebhookAttempt =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'retry'; status?: number; reason: string }
  | { outcome: 'rejected'; status: number; reason: string };

// A receiver's answer is not read: only enough to reuse nothing and log a hint.
const maxResponseBytes = 4096;

/** One POST of a webhook; never rejects. */
export function sendWebhook(webhook: WebhookRequest): Promise<WebhookAttempt> {
  const { url, body, headers, connectTimeoutMs, responseTimeoutMs } = webhook;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const settle = (attempt: WebhookAttempt) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      outgoing.destroy();
      resolve(attempt);
    };
    const outgoing = request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'export-scale-executor',
      },
      // No keep-alive pool: each attempt stands alone, and nothing lingers after it.
      agent: false,
    });
    timers.push(
      setTimeout(
        () => settle({ outcome: 'retry', reason: `no connection within ${connectTimeoutMs} ms` }),
        connectTimeoutMs,
      ),
    );
    outgoing.once('socket', (socket) => {
      const connected = () => {
        clearTimeout(timers[0]);
        timers.push(
          setTimeout(
            () => settle({ outcome: 'retry', reason: `no answer within ${responseTimeoutMs} ms` }),
            responseTimeoutMs,
          ),
        );
      };
      if (socket.connecting)
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      else connected();
    });
    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      settle({ outcome: 'retry', reason: error.code ?? error.message });
    });
    outgoing.once('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= maxResponseBytes) settle(attemptOf(status));
      });
      response.once('end', () => settle(attemptOf(status)));
      response.once('error', () => settle(attemptOf(status)));
    });
    outgoing.end(body);
  });
}

function attemptOf(status: number): WebhookAttempt {
  if (status >= 200 && status < 300) return { outcome: 'delivered', status };
  if (status === 429 || status >= 500) {
    return { outcome: 'retry', status, reason: `the receiver answered ${status}` };
  }
  return { outcome: 'rejected', status, reason: `the receiver answered ${status}` };
}

import { request as httpRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Aborts the request after this long. Default 10 s. */
  timeoutMs?: number;
  /** Aborts the request: the client goes away. */
  signal?: AbortSignal;
}

/**
 * One request on its own connection (no pooling, so a server that closes idle connections while
 * draining cannot break the next call), read to its end.
 */
export function httpJson(url: string, path: string, call: HttpCall = {}): Promise<HttpAnswer> {
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, url), {
      method: call.method ?? (payload === undefined ? 'GET' : 'POST'),
      agent: false,
      headers: {
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...call.headers,
      },
      signal: AbortSignal.any([
        AbortSignal.timeout(call.timeoutMs ?? 10_000),
        ...(call.signal ? [call.signal] : []),
      ]),
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    request.end(payload);
  });
}

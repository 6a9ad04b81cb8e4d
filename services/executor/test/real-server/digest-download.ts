import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface DownloadDigest {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: number;
  /** Newline bytes in the body. */
  newlines: number;
  /** Hex SHA-256 of the body. */
  sha256: string;
}

/**
 * GETs `path` and reads the body to its end, hashing and counting it chunk by chunk as it
 * arrives: a download of any size is never held whole on this side. Its own connection.
 */
export function digestDownload(
  url: string,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<DownloadDigest> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, url), {
      agent: false,
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const hash = createHash('sha256');
      let bytes = 0;
      let newlines = 0;
      response.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
          newlines += 1;
        }
      });
      response.once('error', reject);
      response.once('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          bytes,
          newlines,
          sha256: hash.digest('hex'),
        });
      });
    });
    request.end();
  });
}

import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TrickledUploadResult {
  statusCode: number;
  body: string;
}

/**
 * POSTs NDJSON one line every `intervalMs`, as a slow producer would, and resolves with the
 * whole answer. `onFirstLine` runs once the first line is out: the export is running by then.
 */
export function postTrickledNdjson(
  url: string,
  lines: readonly string[],
  intervalMs: number,
  onFirstLine: () => void,
): Promise<TrickledUploadResult> {
  return new Promise((resolve, reject) => {
    const upload = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.once('end', () => resolve({ statusCode: response.statusCode ?? 0, body }));
        response.once('error', reject);
      },
    );
    upload.once('error', reject);
    (async () => {
      for (const [index, line] of lines.entries()) {
        upload.write(`${line}\n`);
        if (index === 0) onFirstLine();
        await sleep(intervalMs);
      }
      upload.end();
    })().catch(reject);
  });
}

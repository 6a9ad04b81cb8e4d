import type { IncomingMessage } from 'node:http';

export interface ResponseTally {
  bytes: number;
  lines: number;
  firstLine: string;
  lastLine: string;
}

/** Reads a text response to its end, counting lines and bytes without keeping them. */
export async function tallyResponse(response: IncomingMessage): Promise<ResponseTally> {
  let bytes = 0;
  let newlines = 0;
  let firstLine: string | undefined;
  let lastLine = '';
  let tail = '';
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    const text = tail + chunk.toString('latin1');
    let end = text.indexOf('\n');
    let start = 0;
    while (end !== -1) {
      newlines += 1;
      lastLine = text.slice(start, end);
      firstLine ??= lastLine;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    tail = text.slice(start);
  }
  if (tail !== '') {
    newlines += 1;
    lastLine = tail;
    firstLine ??= tail;
  }
  return {
    bytes,
    lines: newlines,
    firstLine: (firstLine ?? '').replace(/\r$/, ''),
    lastLine: lastLine.replace(/\r$/, ''),
  };
}

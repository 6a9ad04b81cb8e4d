import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';

function capture(isTTY: boolean) {
  const output = Object.assign(new PassThrough(), { isTTY });
  let written = '';
  output.setEncoding('utf8').on('data', (chunk: string) => {
    written += chunk;
  });
  return { output, written: () => written };
}

describe('progress', () => {
  it('prints plain lines off a terminal: the start, each tenth, the end', () => {
    const { output, written } = capture(false);
    const progress = createProgress(output);
    progress.start('10k csv (jobs)', 20);
    for (let done = 0; done < 20; done += 1) progress.advance();
    progress.finish('10k csv (jobs): 20 ok');
    const lines = written().trimEnd().split('\n');
    expect(lines[0]).toBe('10k csv (jobs): 20 requests');
    expect(lines).toContain('10k csv (jobs): 2/20');
    expect(lines).toContain('10k csv (jobs): 18/20');
    expect(lines.at(-1)).toBe('10k csv (jobs): 20 ok');
    expect(written()).not.toContain('\r');
  });

  it('redraws one bar in place on a terminal', () => {
    const { output, written } = capture(true);
    const progress = createProgress(output);
    progress.start('1k pdf (run)', 2);
    progress.advance();
    progress.advance();
    progress.finish('done');
    expect(written()).toContain(`\r1k pdf (run) [${'#'.repeat(15)}${'.'.repeat(15)}] 1/2`);
    expect(written()).toContain(`\r1k pdf (run) [${'#'.repeat(30)}] 2/2`);
    expect(written().endsWith('\r\x1b[2Kdone\n')).toBe(true);
  });
});

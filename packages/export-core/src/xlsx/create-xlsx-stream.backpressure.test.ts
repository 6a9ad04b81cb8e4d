import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createXlsxStream } from './create-xlsx-stream.js';

const sourceSize = 200_000;

/** A source that counts how many records were pulled from it. */
class CountingSource {
  pulled = 0;
  readonly stream = Readable.from(this.#records());

  *#records() {
    for (let id = 1; id <= sourceSize; id += 1) {
      this.pulled = id;
      // Text that deflates poorly, so that the zip's output fills up quickly.
      yield { id, name: `name ${Math.random()}`, amount: id * 1.5 };
    }
  }
}

/** Waits until `read()` stops changing across several turns of the event loop. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let unchanged = 0;
  while (unchanged < 20) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const value = read();
    unchanged = value === last ? unchanged + 1 : 0;
    last = value;
  }
  return last;
}

describe('createXlsxStream: backpressure', () => {
  it('stops pulling records while nobody reads the workbook, and pulls the rest once read', async () => {
    const source = new CountingSource();
    const xlsx = createXlsxStream();
    source.stream.pipe(xlsx);
    const pulledWhilePaused = await settled(() => source.pulled);
    expect(pulledWhilePaused).toBeGreaterThan(100);
    expect(pulledWhilePaused).toBeLessThan(sourceSize / 4);
    let bytes = 0;
    await pipeline(
      xlsx,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          callback();
        },
      }),
    );
    expect(source.pulled).toBe(sourceSize);
    expect(bytes).toBeGreaterThan(1_000_000);
  });
});

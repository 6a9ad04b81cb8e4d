import { getDefaultHighWaterMark, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createPdfStream } from './create-pdf-stream.js';

const sourceSize = 20_000;

/** A source that counts how many records were pulled from it. */
class CountingSource {
  pulled = 0;
  readonly stream = Readable.from(this.#records());

  *#records() {
    for (let id = 1; id <= sourceSize; id += 1) {
      this.pulled = id;
      yield { id, name: `name ${id}`, amount: id * 1.5 };
    }
  }
}

/** Waits until `read()` stops changing across several turns of the event loop. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let unchanged = 0;
  while (unchanged < 20) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    const value = read();
    unchanged = value === last ? unchanged + 1 : 0;
    last = value;
  }
  return last;
}

describe('createPdfStream: backpressure', () => {
  it('stops pulling records while nobody reads the PDF', async () => {
    const source = new CountingSource();
    const pdf = createPdfStream();
    source.stream.pipe(pdf);
    const pulled = await settled(() => source.pulled);
    // The 100-record sample, a few pages up to the readable high-water mark, and the buffers:
    // about 2,000 rows with a 16 KiB mark (Node 20), more with 64 KiB (Node 22 and later).
    const marks = getDefaultHighWaterMark(false) / 16_384;
    expect(pulled).toBeGreaterThan(100);
    expect(pulled).toBeLessThan(2000 * Math.max(1, marks));
    expect(pulled).toBeLessThan(sourceSize / 2);
    pdf.destroy();
    source.stream.destroy();
  });

  it('pulls the rest once the reader drains, and writes every row', async () => {
    const source = new CountingSource();
    const pdf = createPdfStream();
    source.stream.pipe(pdf);
    const pulledWhilePaused = await settled(() => source.pulled);
    let bytes = 0;
    await pipeline(
      pdf,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          callback();
        },
      }),
    );
    expect(pulledWhilePaused).toBeLessThan(sourceSize);
    expect(source.pulled).toBe(sourceSize);
    expect(bytes).toBeGreaterThan(100_000);
  });
});

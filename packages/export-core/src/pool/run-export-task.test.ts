import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryPathFor } from '../destination/atomic-file.js';
import { type PdfTextItem, readPdf } from '../pdf/test-helpers/read-pdf.js';
import { createExportPool } from './create-export-pool.js';
import type { ExportTask, TaskOutcome } from './export-task.js';
import runExportTask from './run-export-task.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'run-export-task-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const descriptions = Object.fromEntries(
  Array.from({ length: 8 }, (_, index) => [
    `description_${index}`,
    `a longer description ${index}`,
  ]),
);

/** NDJSON of 1,001 rows whose price is 1234.56, but 1583776.2441 in row 1000, past the sample. */
function lateWidePrice(): Buffer {
  let text = '';
  for (let row = 0; row <= 1_000; row += 1) {
    const price = row < 1_000 ? 1234.56 : 1583776.2441;
    text += `${JSON.stringify({ row, ...descriptions, price })}\n`;
  }
  return Buffer.from(text);
}

/** Runs the task here, in this thread, as a worker would. */
async function runHere(task: Omit<ExportTask, 'control' | 'destination'>, file: string) {
  const control = new MessageChannel();
  try {
    const outcome: TaskOutcome = await runExportTask({
      ...task,
      destination: { file, temporaryPath: temporaryPathFor(file) },
      control: control.port2,
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.result;
  } finally {
    control.port1.close();
  }
}

async function latePrice(file: string): Promise<PdfTextItem | undefined> {
  const report = await readPdf(await readFile(file));
  return report.pages.flatMap((page) => page.items).find((item) => item.text.startsWith('1583776'));
}

describe('runExportTask: a PDF of bytes measures every record first', () => {
  it('draws a wide number in row 1000 at full size, the columns taken from every record', async () => {
    const file = join(folder, 'all.pdf');
    const result = await runHere(
      { format: 'pdf', source: { kind: 'ndjson', bytes: lateWidePrice() } },
      file,
    );
    // The descriptions give way to the price, and every cut one is counted.
    expect(result).toMatchObject({
      rows: 1_001,
      truncatedCells: { count: 8 * 1_001, columns: Object.keys(descriptions) },
    });
    expect(await latePrice(file)).toMatchObject({ text: '1583776.2441', fontSize: 8 });
  }, 30_000);

  it('measures the given columns too', async () => {
    const file = join(folder, 'given.pdf');
    await runHere(
      {
        format: 'pdf',
        source: { kind: 'ndjson', bytes: lateWidePrice() },
        columns: ['row', ...Object.keys(descriptions), { key: 'price', type: 'decimal' }],
      },
      file,
    );
    expect(await latePrice(file)).toMatchObject({ text: '1583776.2441', fontSize: 8 });
  }, 30_000);

  it('reports truncatedCells through the pool, and shrinks the number from a stream it cannot read twice', async () => {
    const pool = createExportPool({ size: 1 });
    try {
      const bytes = lateWidePrice();
      const fromBytes = await pool.run({
        source: { ndjson: bytes },
        format: 'pdf',
        columns: [{ key: 'row', header: 'A row number with a long header', width: 30 }, 'price'],
        destination: join(folder, 'bytes.pdf'),
      });
      expect(fromBytes.truncatedCells).toEqual({ count: 1, columns: ['row'] });
      async function* once() {
        yield bytes;
      }
      await pool.run({
        source: { ndjson: once() },
        format: 'pdf',
        destination: join(folder, 'stream.pdf'),
      });
      const shrunk = await latePrice(join(folder, 'stream.pdf'));
      expect(shrunk?.text).toBe('1583776.2441');
      expect(shrunk?.fontSize).toBeLessThan(8);
    } finally {
      await pool.close();
    }
  }, 30_000);
});

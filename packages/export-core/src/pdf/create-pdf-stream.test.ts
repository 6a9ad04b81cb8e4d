import { Readable, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../test-helpers/defined.js';
import { createPdfStream } from './create-pdf-stream.js';
import type { PdfStreamOptions } from './normalize-pdf-options.js';
import { inflatedStreams } from './test-helpers/content-streams.js';
import {
  itemMatching,
  type PdfPageText,
  pageAt,
  type ReadPdf,
  readPdf,
} from './test-helpers/read-pdf.js';
import { fixedGeneratedAt, numberedRecords, renderPdf } from './test-helpers/render-pdf.js';

const rowCount = 2000;

/** How far apart the values are: 0 when they line up exactly. */
function spread(values: readonly number[]): number {
  return Math.max(...values) - Math.min(...values);
}

async function firstPageOf(
  records: Iterable<unknown>,
  options?: PdfStreamOptions,
): Promise<PdfPageText> {
  return pageAt(await readPdf(await renderPdf(records, options)), 0);
}

describe('createPdfStream: a table report', () => {
  let report: ReadPdf;

  beforeAll(async () => {
    const pdf = await renderPdf(numberedRecords(rowCount), {
      title: 'Trades',
      meta: ['User: alice', 'Desk: rates'],
      author: 'alice',
    });
    report = await readPdf(pdf);
  });

  const firstPage = () => pageAt(report, 0);
  const lastPage = () => pageAt(report, -1);

  it('spans several pages for 2,000 rows', () => {
    expect(report.pages.length).toBeGreaterThan(10);
  });

  it('opens page 1 with the title, the "Generated" line in UTC and the meta lines', () => {
    expect(firstPage().text).toMatch(
      /^Trades Generated 2024-05-01T12:00:00\.000Z User: alice Desk: rates id name amount /,
    );
  });

  it('repeats the header row at the top of every page', () => {
    for (const page of report.pages.slice(1)) {
      expect(page.items.slice(0, 3).map((item) => item.text)).toEqual(['id', 'name', 'amount']);
    }
  });

  it('writes the first record first and the last record last', () => {
    expect(firstPage().text).toContain('id name amount 1 name 1 1.5 2 name 2 3 ');
    expect(lastPage().text).toContain(`${rowCount} name ${rowCount} 3000 `);
  });

  it('writes every row once, in order', () => {
    const ids = report.pages.flatMap((page) =>
      page.items
        .filter((item) => /^name \d+$/.test(item.text))
        .map((item) => Number(item.text.slice(5))),
    );
    expect(ids).toEqual(Array.from({ length: rowCount }, (_, index) => index + 1));
  });

  it('ends the table with the row count, thousands grouped: "2,000 rows"', () => {
    expect(lastPage().text).toContain('3000 2,000 rows');
  });

  it('numbers every page "Page N of M", M being the final page count', () => {
    const total = report.pages.length;
    report.pages.forEach((page, index) => {
      expect(page.text).toMatch(new RegExp(`Page ${index + 1} of ${total}$`));
    });
  });

  it('stores Title, Author, Creator and CreationDate (generatedAt) in the metadata', () => {
    expect(report.info).toMatchObject({
      Title: 'Trades',
      Author: 'alice',
      Creator: '@org/export-core',
      CreationDate: 'D:20240501120000Z',
    });
  });

  it('right-aligns numbers: a number column’s cells end at one x, at the column’s right edge', () => {
    // The amount column is the last one; the footer (page total) sits below y = 50.
    const amounts = firstPage().items.filter(
      (item) => /^\d+(\.\d+)?$/.test(item.text) && item.x > 300 && item.y > 50,
    );
    expect(amounts.length).toBeGreaterThan(20);
    expect(spread(amounts.map((item) => item.x + item.width))).toBeLessThan(0.05);
    expect(spread(amounts.map((item) => item.x))).toBeGreaterThan(5);
    const rightEdge = defined(amounts[0]).x + defined(amounts[0]).width;
    const pageRight = firstPage().width - 36;
    expect(rightEdge).toBeGreaterThan(pageRight - 8);
    expect(rightEdge).toBeLessThanOrEqual(pageRight);
  });

  it('left-aligns text: a text column’s cells start at one x', () => {
    const names = firstPage().items.filter((item) => item.text.startsWith('name '));
    expect(spread(names.map((item) => item.x))).toBe(0);
  });

  it('writes portrait A4 by default', () => {
    expect(firstPage()).toMatchObject({ width: 595.28, height: 841.89 });
  });
});

describe('createPdfStream: options', () => {
  it('lets a column’s align override the value type', async () => {
    const page = await firstPageOf(numberedRecords(30), {
      columns: [{ key: 'id', align: 'left' }, 'name', { key: 'amount', align: 'center' }],
    });
    const ids = page.items.filter((item) => /^\d+$/.test(item.text) && item.x < 200);
    expect(spread(ids.map((item) => item.x))).toBe(0);
    const amounts = page.items.filter((item) => /^\d+\.5$/.test(item.text));
    expect(spread(amounts.map((item) => item.x + item.width / 2))).toBeLessThan(0.05);
    expect(spread(amounts.map((item) => item.x))).toBeGreaterThan(2);
  });

  it('truncates a value wider than its column with "…", never into the next column', async () => {
    const long = 'A very long description that cannot possibly fit in sixty points';
    const page = await firstPageOf([{ note: long, next: 'next' }], {
      columns: [
        { key: 'note', width: 60 },
        { key: 'next', width: 60 },
      ],
    });
    const note = itemMatching(page, (text) => text.startsWith('A very'));
    const next = page.items.filter((item) => item.text === 'next').at(-1);
    expect(note.text).toMatch(/^A very.*…$/);
    expect(long.startsWith(note.text.slice(0, -1))).toBe(true);
    expect(note.x + note.width).toBeLessThanOrEqual(defined(next).x);
  });

  it('turns to landscape when the columns do not fit across a portrait page', async () => {
    const wide = Object.fromEntries(
      Array.from({ length: 9 }, (_, index) => [`column_${index}`, `value number ${index}`]),
    );
    const page = await firstPageOf([wide, wide]);
    expect(page.width).toBeGreaterThan(page.height);
    expect(page.text).toContain('column_0');
    expect(page.text).toContain('value number 0 value number 1');
    expect(page.text).toContain('value number 8 2 rows');
  });

  it('keeps portrait when asked, even for many columns', async () => {
    const wide = Object.fromEntries(
      Array.from({ length: 14 }, (_, index) => [`c${index}`, 'x'.repeat(30)]),
    );
    const page = await firstPageOf([wide], { orientation: 'portrait' });
    expect(page.width).toBeLessThan(page.height);
  });

  it('shades every other row by default, and none with zebra: false', async () => {
    const stripes = (content: string) => content.match(/^0\.94 g .* re f/gm)?.length ?? 0;
    expect(stripes(inflatedStreams(await renderPdf(numberedRecords(10))))).toBe(5);
    expect(stripes(inflatedStreams(await renderPdf(numberedRecords(10), { zebra: false })))).toBe(
      0,
    );
  });

  it('writes Letter pages when asked', async () => {
    const page = await firstPageOf(numberedRecords(3), { pageSize: 'Letter' });
    expect(page).toMatchObject({ width: 612, height: 792 });
  });

  it('takes the columns from the first record when none are given', async () => {
    const page = await firstPageOf([{ symbol: 'ACME', price: 9.5 }]);
    expect(page.text).toContain('symbol price ACME 9.5 1 row');
  });

  it('reads array records by position under the given columns', async () => {
    const page = await firstPageOf([[1, 'ACME']], {
      columns: ['id', { key: 'symbol', header: 'Symbol' }],
    });
    expect(page.text).toContain('id Symbol 1 ACME 1 row');
  });

  it('writes dates as ISO 8601 UTC and leaves null cells empty', async () => {
    const page = await firstPageOf([
      { at: new Date('2024-01-02T03:04:05Z'), missing: null, after: 'x' },
    ]);
    expect(page.text).toContain('at missing after 2024-01-02T03:04:05.000Z x 1 row');
  });

  it('uses the font size asked for', async () => {
    const nameWidth = (page: PdfPageText) => itemMatching(page, (text) => text === 'name 1').width;
    const large = await firstPageOf(numberedRecords(3), { fontSize: 12 });
    const normal = await firstPageOf(numberedRecords(3));
    expect(nameWidth(large) / nameWidth(normal)).toBeCloseTo(12 / 8, 1);
  });
});

describe('createPdfStream: zero rows', () => {
  it('still writes one page: title, header row, "0 rows" and "Page 1 of 1"', async () => {
    const report = await readPdf(await renderPdf([], { title: 'Empty', columns: ['id', 'name'] }));
    expect(report.pages).toHaveLength(1);
    expect(pageAt(report, 0).text).toBe(
      'Empty Generated 2024-05-01T12:00:00.000Z id name 0 rows Empty Page 1 of 1',
    );
  });

  it('writes an empty table, with no header row, for zero rows and no columns', async () => {
    const report = await readPdf(await renderPdf([], { title: 'Empty' }));
    expect(report.pages).toHaveLength(1);
    expect(pageAt(report, 0).text).toBe(
      'Empty Generated 2024-05-01T12:00:00.000Z 0 rows Empty Page 1 of 1',
    );
  });
});

describe('createPdfStream: streaming', () => {
  it('emits finished pages while records are still coming in', async () => {
    const stream = createPdfStream({ generatedAt: fixedGeneratedAt });
    let emitted = 0;
    stream.on('data', (chunk: Buffer) => {
      emitted += chunk.length;
    });
    for (const record of numberedRecords(1000)) stream.write(record);
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toBeGreaterThan(10_000);
    stream.destroy();
  });

  it('composes with Readable.from and a Writable', async () => {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback();
      },
    });
    await new Promise<void>((resolve, reject) => {
      Readable.from(numberedRecords(10))
        .pipe(createPdfStream())
        .pipe(sink)
        .on('finish', resolve)
        .on('error', reject);
    });
    expect(bytes).toBeGreaterThan(1000);
  });
});

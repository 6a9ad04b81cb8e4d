import { describe, expect, it } from 'vitest';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { measurePdfColumns } from './measure-pdf-columns.js';
import { minimumNumberFontSize } from './number-fit.js';
import { type PdfPageText, pageAt, readPdf } from './test-helpers/read-pdf.js';
import { renderPdf, renderPdfReport } from './test-helpers/render-pdf.js';

const descriptions = Object.fromEntries(
  Array.from({ length: 8 }, (_, index) => [
    `description_${index}`,
    `a longer description ${index}`,
  ]),
);

/** Rows of eight text columns and a price: 1234.56 up to `wideFrom`, 1583776.2441 from there. */
function pricedRecords(count: number, wideFrom: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, row) => ({
    row,
    ...descriptions,
    price: row < wideFrom ? 1234.56 : 1583776.2441,
  }));
}

function allItems(pages: readonly PdfPageText[]) {
  return pages.flatMap((page) => page.items);
}

function spread(values: readonly number[]): number {
  return Math.max(...values) - Math.min(...values);
}

describe('PDF: a number is never cut', () => {
  it('shows prices wider than the first 100 rows’ in full (finding: 1583776.244…)', async () => {
    const report = await readPdf(await renderPdf(pricedRecords(1_000, 100)));
    const prices = allItems(report.pages).filter((item) => item.text.startsWith('1583776'));
    expect(prices).toHaveLength(900);
    for (const price of prices) expect(price.text).toBe('1583776.2441');
  });

  it('draws a late wide number smaller, never below the minimum size', async () => {
    const report = await readPdf(await renderPdf(pricedRecords(5_001, 5_000)));
    const late = allItems(report.pages).filter((item) => item.text.startsWith('1583776'));
    expect(late.map((item) => item.text)).toEqual(['1583776.2441']);
    const size = late[0]?.fontSize ?? 0;
    expect(size).toBeLessThan(8);
    expect(size).toBeGreaterThanOrEqual(minimumNumberFontSize);
    const early = allItems(report.pages).filter((item) => item.text === '1234.56');
    expect(early.every((item) => item.fontSize === 8)).toBe(true);
  });

  it('draws it at full size when the widths are measured over every record', async () => {
    const records = pricedRecords(5_001, 5_000);
    const measured = await measurePdfColumns(asyncOf(records));
    const report = await readPdf(
      await renderPdf(records, { measuredWidths: measured.measuredWidths }),
    );
    const late = allItems(report.pages).filter((item) => item.text.startsWith('1583776'));
    expect(late.map((item) => [item.text, item.fontSize])).toEqual([['1583776.2441', 8]]);
  });

  it('shows twenty columns of 123456789.12 in full (finding: 1234…)', async () => {
    const record = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [`c${index}`, 123456789.12]),
    );
    const page = pageAt(await readPdf(await renderPdf([record, record])), 0);
    const numbers = page.items.filter((item) => item.text.startsWith('1234'));
    expect(numbers).toHaveLength(40);
    for (const number of numbers) expect(number.text).toBe('123456789.12');
    expect(page.text).not.toContain('…');
  });

  it('fails with EXPORT_TABLE_TOO_WIDE naming row, column and limit when even the minimum size is too wide', async () => {
    const records = [
      ...Array.from({ length: 150 }, () => ({ id: 1, note: 'x'.repeat(40) })),
      { id: 12345678901234567890n, note: 'late' },
    ];
    const error = await exportRejectionOf(() =>
      renderPdf(records, { columns: [{ key: 'id', width: 30 }, 'note'] }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_TABLE_TOO_WIDE', row: 150 });
    expect(error.message).toContain('record 150');
    expect(error.message).toContain('column `id`');
    expect(error.message).toContain(`${minimumNumberFontSize} pt`);
  });

  it('right-aligns a decimal column of numeric strings, and its header', async () => {
    const page = pageAt(
      await readPdf(
        await renderPdf(
          ['1.50', '1234.5', '12', '-0.001'].map((amount) => ({ amount, note: 'n' })),
          { columns: [{ key: 'amount', type: 'decimal' }, 'note'] },
        ),
      ),
      0,
    );
    const amounts = page.items.filter((item) => /^-?[\d.]+$/.test(item.text) && item.y > 50);
    expect(amounts).toHaveLength(4);
    const header = page.items.find((item) => item.text === 'amount');
    const rightEdges = [...amounts, header].map((item) => (item ? item.x + item.width : 0));
    expect(spread(rightEdges)).toBeLessThan(0.05);
  });
});

describe('PDF: text cut with "…" is counted', () => {
  it('counts each cut cell and names its column', async () => {
    const long = 'A very long description that cannot possibly fit in sixty points';
    const { truncatedCells } = await renderPdfReport(
      [
        { note: long, other: long, id: 1 },
        { note: long, other: 'short', id: 2 },
        { note: 'short', other: 'short', id: 3 },
      ],
      {
        columns: [{ key: 'note', width: 60 }, { key: 'other', width: 60 }, 'id'],
      },
    );
    expect(truncatedCells).toEqual({ count: 3, columns: ['note', 'other'] });
  });

  it('counts a cut header once, not on every page', async () => {
    const records = Array.from({ length: 200 }, (_, id) => ({ id }));
    const { truncatedCells } = await renderPdfReport(records, {
      columns: [{ key: 'id', header: 'An identifier with a very long header', width: 40 }],
    });
    expect(truncatedCells).toEqual({ count: 1, columns: ['id'] });
  });

  it('reports nothing when nothing is cut', async () => {
    const { truncatedCells } = await renderPdfReport([{ id: 1, name: 'Ada' }]);
    expect(truncatedCells).toEqual({ count: 0, columns: [] });
  });
});

describe('PDF: a table too wide for the page', () => {
  it('fails 1,000 columns with EXPORT_TABLE_TOO_WIDE naming the limit, before any page', async () => {
    const record = Object.fromEntries(
      Array.from({ length: 1_000 }, (_, index) => [`c${index}`, index]),
    );
    const error = await exportRejectionOf(() => renderPdf([record]));
    expect(error.code).toBe('EXPORT_TABLE_TOO_WIDE');
    expect(error.message).toMatch(
      /^the table's 1000 columns need at least [\d.]+ pt across, and the page \(A4 landscape\) has 769\.89 pt: the first \d+ fit;/,
    );
    expect(error.message).toContain('`columns`');
    expect(error.message).toContain('`pdf.fontSize`');
  });

  it('shows 30 columns of short values in full on a landscape page (finding: all "…")', async () => {
    const record = Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [
        `column_${index}`,
        index % 2 ? 'abc' : index * 100,
      ]),
    );
    const { pdf, truncatedCells } = await renderPdfReport([record, record]);
    const page = pageAt(await readPdf(pdf), 0);
    expect(page.width).toBeGreaterThan(page.height);
    const values = page.items.filter((item) => item.y > 50 && !item.text.startsWith('col'));
    const shown = values.map((item) => item.text).filter((text) => text !== '2 rows');
    expect(shown.filter((text) => text === 'abc')).toHaveLength(30);
    expect(shown.filter((text) => /^\d+$/.test(text)).sort()).toEqual(
      Object.values(record)
        .filter((value) => typeof value === 'number')
        .flatMap((value) => [String(value), String(value)])
        .sort(),
    );
    expect(page.text).not.toMatch(/(^| )… /);
    // The headers may be cut, and then they are counted.
    expect(truncatedCells.count).toBeLessThanOrEqual(30);
  });
});

describe('PDF: nullText and timeZone', () => {
  it('writes null as the nullText and dates in the timeZone, as CSV does', async () => {
    const page = pageAt(
      await readPdf(
        await renderPdf([{ at: new Date('2024-01-02T03:04:05Z'), missing: null, after: 'x' }], {
          nullText: 'n/a',
          timeZone: 'Europe/Istanbul',
        }),
      ),
      0,
    );
    expect(page.text).toContain('at missing after 2024-01-02T06:04:05.000+03:00 n/a x 1 row');
  });
});

async function* asyncOf<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

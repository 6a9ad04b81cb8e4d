import { describe, expect, it } from 'vitest';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import {
  type ColumnWidthInput,
  columnWidthBounds,
  fitColumnWidths,
  minimumTextRoomEm,
} from './column-widths.js';
import { chooseOrientation, layoutTable, tableMetrics } from './layout-table.js';
import { minimumNumberFontSize } from './number-fit.js';
import { pageGeometry, pageMargin } from './page-geometry.js';

const metrics = tableMetrics(8);
const padding = 2 * metrics.cellPadding;

function column(sizes: Partial<ColumnWidthInput>): ColumnWidthInput {
  return { header: 0, text: 0, number: 0, numbersOnly: false, fixed: undefined, ...sizes };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

describe('pageGeometry', () => {
  it('gives A4 and Letter in points, with half-inch margins', () => {
    expect(pageGeometry('A4', 'portrait')).toMatchObject({ width: 595.28, height: 841.89 });
    expect(pageGeometry('Letter', 'portrait')).toMatchObject({ width: 612, height: 792 });
    expect(pageGeometry('A4', 'portrait').usableWidth).toBeCloseTo(595.28 - 2 * pageMargin);
  });

  it('swaps width and height in landscape', () => {
    expect(pageGeometry('A4', 'landscape')).toMatchObject({ width: 841.89, height: 595.28 });
  });
});

describe('columnWidthBounds', () => {
  it('makes a text column naturally as wide as its widest text or header, plus padding', () => {
    expect(columnWidthBounds(column({ text: 100, header: 20 }), metrics).natural).toBe(
      100 + padding,
    );
    expect(columnWidthBounds(column({ text: 10, header: 60 }), metrics).natural).toBe(60 + padding);
  });

  it('keeps a text column’s natural width between the minimum and maximum widths', () => {
    expect(columnWidthBounds(column({ text: 1 }), metrics).natural).toBe(metrics.minColumnWidth);
    expect(columnWidthBounds(column({ text: 10_000 }), metrics).natural).toBe(
      metrics.maxColumnWidth,
    );
  });

  it('never makes a column narrower than its numbers at full size, even past the maximum', () => {
    const bounds = columnWidthBounds(column({ number: 400 }), metrics);
    expect(bounds.natural).toBe(400 + padding);
    expect(bounds.comfortable).toBe(400 + padding);
  });

  it('lets text give way down to a few letters, and numbers down to the minimum font size', () => {
    const bounds = columnWidthBounds(column({ text: 200, number: 80, header: 30 }), metrics);
    expect(bounds.comfortable).toBe(80 + padding);
    expect(bounds.minimum).toBe(
      Math.max(minimumTextRoomEm.most * 8, (80 * minimumNumberFontSize) / 8) + padding,
    );
    expect(columnWidthBounds(column({ text: 2 }), metrics).minimum).toBe(
      minimumTextRoomEm.least * 8 + padding,
    );
  });

  it('takes a column’s width option at every level', () => {
    expect(columnWidthBounds(column({ text: 500, fixed: 40 }), metrics)).toEqual({
      natural: 40,
      comfortable: 40,
      minimum: 40,
    });
  });
});

describe('chooseOrientation', () => {
  it('stays portrait when the natural widths fit across a portrait page', () => {
    expect(chooseOrientation('auto', [200, 300], 'A4')).toBe('portrait');
  });

  it('turns to landscape when they do not', () => {
    expect(chooseOrientation('auto', [200, 200, 200], 'A4')).toBe('landscape');
  });

  it('follows an explicit orientation', () => {
    expect(chooseOrientation('portrait', [2000], 'A4')).toBe('portrait');
    expect(chooseOrientation('landscape', [20], 'A4')).toBe('landscape');
  });
});

describe('fitColumnWidths', () => {
  const bounds = (natural: number, comfortable = natural, minimum = comfortable) => ({
    natural,
    comfortable,
    minimum,
  });

  it('widens measured columns in proportion to fill the usable width', () => {
    expect(fitColumnWidths([bounds(50), bounds(150)], [false, false], 400)).toEqual([100, 300]);
  });

  it('keeps fixed columns and gives the rest to the measured ones', () => {
    const widths = fitColumnWidths(
      [bounds(80), bounds(50), bounds(150)],
      [true, false, false],
      480,
    );
    expect(widths).toEqual([80, 100, 300]);
  });

  it('leaves a table of fixed columns narrower than the page as it is', () => {
    expect(fitColumnWidths([bounds(60), bounds(90)], [true, true], 500)).toEqual([60, 90]);
  });

  it('takes the room from text first: numbers keep their full size while text can give', () => {
    // A number column (natural = comfortable = 100) and a text column that can go down to 50.
    const widths = fitColumnWidths(
      [bounds(100, 100, 60), bounds(400, 50, 50)],
      [false, false],
      300,
    );
    expect(widths).toEqual([100, 200]);
  });

  it('then shrinks numbers toward the minimum font size, each by a share of its slack', () => {
    const widths = fitColumnWidths(
      [bounds(100, 100, 60), bounds(400, 50, 50)],
      [false, false],
      130,
    );
    expect(widths?.[1]).toBe(50);
    expect(widths?.[0]).toBeCloseTo(80);
  });

  it('gives up (undefined) when not even the minimum widths fit', () => {
    expect(fitColumnWidths([bounds(100, 100, 60), bounds(400, 50, 50)], [false, false], 109)).toBe(
      undefined,
    );
    expect(fitColumnWidths([bounds(600), bounds(400)], [true, true], 500)).toBe(undefined);
  });
});

describe('layoutTable', () => {
  const layout = (columns: ColumnWidthInput[], orientation: 'auto' | 'portrait' = 'auto') =>
    layoutTable({ pageSize: 'A4', orientation, fontSize: 8, columns });

  it('places the columns side by side from the left margin across the usable width', () => {
    const table = layout([column({ text: 20 }), column({ text: 100 }), column({ number: 40 })]);
    expect(table.page.orientation).toBe('portrait');
    expect(table.columnLefts[0]).toBe(pageMargin);
    const [firstWidth] = table.columnWidths;
    expect(table.columnLefts[1]).toBeCloseTo(pageMargin + (firstWidth ?? Number.NaN));
    expect(table.tableWidth).toBeCloseTo(table.page.usableWidth);
  });

  it('chooses landscape for many wide columns', () => {
    const table = layoutTable({
      pageSize: 'Letter',
      orientation: 'auto',
      fontSize: 8,
      columns: Array.from({ length: 12 }, () => column({ text: 60 })),
    });
    expect(table.page.orientation).toBe('landscape');
    expect(table.page.width).toBe(792);
  });

  it('gives number columns their full width and text columns what is left', () => {
    const numbers = Array.from({ length: 6 }, () => column({ number: 60, numbersOnly: true }));
    const texts = Array.from({ length: 6 }, () => column({ text: 300 }));
    const table = layout([...numbers, ...texts]);
    expect(table.columnWidths.slice(0, 6)).toEqual(numbers.map(() => 60 + padding));
    expect(sum(table.columnWidths)).toBeCloseTo(table.page.usableWidth);
  });

  it('fails with EXPORT_TABLE_TOO_WIDE naming the limit and what would help', () => {
    const error = exportErrorOf(() =>
      layout(
        Array.from({ length: 100 }, () => column({ text: 50 })),
        'portrait',
      ),
    );
    const each = minimumTextRoomEm.most * 8 + padding;
    expect(error.code).toBe('EXPORT_TABLE_TOO_WIDE');
    expect(error.message).toBe(
      `the table's 100 columns need at least ${100 * each} pt across, and the page (A4 portrait) has 523.28 pt: the first ${Math.floor(523.28 / each)} fit; use fewer \`columns\`, or \`pdf.orientation: 'landscape'\`, or \`pdf.pageSize: 'Letter'\`, or a smaller \`pdf.fontSize\` (8 now, 5 the least)`,
    );
  });

  it('keeps rows above the footer band', () => {
    const table = layout([column({ text: 10 })]);
    expect(table.tableBottom).toBe(pageMargin + table.metrics.footerHeight);
  });
});

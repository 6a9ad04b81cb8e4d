import { describe, expect, it } from 'vitest';
import {
  chooseOrientation,
  fitColumnWidths,
  layoutTable,
  naturalColumnWidths,
  pageGeometry,
  pageMargin,
  tableMetrics,
} from './layout-table.js';

const metrics = tableMetrics(8);

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

describe('naturalColumnWidths', () => {
  it('adds the cell padding to the widest text', () => {
    expect(naturalColumnWidths([100], [undefined], metrics)).toEqual([
      100 + 2 * metrics.cellPadding,
    ]);
  });

  it('keeps a measured column between the minimum and maximum widths', () => {
    expect(naturalColumnWidths([1, 10_000], [undefined, undefined], metrics)).toEqual([
      metrics.minColumnWidth,
      metrics.maxColumnWidth,
    ]);
  });

  it('takes a column’s width option as it is', () => {
    expect(naturalColumnWidths([1, 10_000], [5, 700], metrics)).toEqual([5, 700]);
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
  it('widens measured columns in proportion to fill the usable width', () => {
    const widths = fitColumnWidths([50, 150], [undefined, undefined], 400, metrics);
    expect(widths).toEqual([100, 300]);
  });

  it('keeps fixed columns and gives the rest to the measured ones', () => {
    const widths = fitColumnWidths([80, 50, 150], [80, undefined, undefined], 480, metrics);
    expect(widths).toEqual([80, 100, 300]);
  });

  it('squeezes measured columns into the width that fixed columns leave', () => {
    const widths = fitColumnWidths([300, 500, 300], [300, undefined, undefined], 500, metrics);
    expect(widths).toEqual([300, 125, 75]);
  });

  it('shrinks every column in proportion when fixed ones leave too little for the rest', () => {
    const widths = fitColumnWidths([480, 400, 120], [480, undefined, undefined], 500, metrics);
    expect(widths).toEqual([240, 200, 60]);
  });

  it('shrinks fixed columns in proportion when they alone are too wide', () => {
    expect(fitColumnWidths([600, 400], [600, 400], 500, metrics)).toEqual([300, 200]);
  });

  it('leaves a table of fixed columns narrower than the page as it is', () => {
    expect(fitColumnWidths([60, 90], [60, 90], 500, metrics)).toEqual([60, 90]);
  });
});

describe('layoutTable', () => {
  it('places the columns side by side from the left margin across the usable width', () => {
    const layout = layoutTable({
      pageSize: 'A4',
      orientation: 'auto',
      fontSize: 8,
      textWidths: [20, 100, 40],
      fixedWidths: [undefined, undefined, undefined],
    });
    expect(layout.page.orientation).toBe('portrait');
    expect(layout.columnLefts[0]).toBe(pageMargin);
    const [firstWidth] = layout.columnWidths;
    expect(layout.columnLefts[1]).toBeCloseTo(pageMargin + (firstWidth ?? Number.NaN));
    expect(layout.tableWidth).toBeCloseTo(layout.page.usableWidth);
  });

  it('chooses landscape for many wide columns', () => {
    const layout = layoutTable({
      pageSize: 'Letter',
      orientation: 'auto',
      fontSize: 8,
      textWidths: Array.from({ length: 12 }, () => 60),
      fixedWidths: Array.from({ length: 12 }, () => undefined),
    });
    expect(layout.page.orientation).toBe('landscape');
    expect(layout.page.width).toBe(792);
  });

  it('keeps rows above the footer band', () => {
    const layout = layoutTable({
      pageSize: 'A4',
      orientation: 'auto',
      fontSize: 8,
      textWidths: [10],
      fixedWidths: [undefined],
    });
    expect(layout.tableBottom).toBe(pageMargin + layout.metrics.footerHeight);
  });
});

import type { PdfPageSize } from './normalize-pdf-options.js';

export type PageOrientation = 'portrait' | 'landscape';

/** Width and height in points, portrait. */
const portraitSizes: Readonly<Record<PdfPageSize, readonly [number, number]>> = {
  A4: [595.28, 841.89],
  Letter: [612, 792],
};

/** Half an inch on every side. */
export const pageMargin = 36;

/** A page in PDF coordinates: origin bottom-left, y up. */
export interface PageGeometry {
  readonly orientation: PageOrientation;
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly usableWidth: number;
}

export function pageGeometry(pageSize: PdfPageSize, orientation: PageOrientation): PageGeometry {
  const [short, long] = portraitSizes[pageSize];
  const width = orientation === 'portrait' ? short : long;
  const height = orientation === 'portrait' ? long : short;
  return {
    orientation,
    width,
    height,
    left: pageMargin,
    right: width - pageMargin,
    top: height - pageMargin,
    bottom: pageMargin,
    usableWidth: width - 2 * pageMargin,
  };
}

/**
 * Raw content-stream operators. The writer draws in PDF coordinates (origin bottom-left, y up):
 * pdfkit starts every page with a `1 0 0 -1 0 H cm` flip for its own top-down API, so the
 * writer's content for a page sits in one `q 1 0 0 -1 0 H cm … Q` block that undoes it, as
 * pdfkit's own `_fragment` does around each `BT`.
 */

/** A number as an operand: at most two decimals, never exponent notation, never `-0`. */
export function pdfNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? '0' : String(rounded);
}

/** Rounds as `pdfNumber` does, for positions that later operands are relative to. */
export function roundToHundredth(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Opens the block in PDF coordinates on a page of this height; `endPdfCoordinates` closes it. */
export function beginPdfCoordinates(pageHeight: number): string {
  return `q 1 0 0 -1 0 ${pdfNumber(pageHeight)} cm\n0 g\n`;
}

export const endPdfCoordinates = 'Q\n';

/** A filled gray rectangle; the fill color is back to black after it. */
export function fillRectangle(
  x: number,
  y: number,
  width: number,
  height: number,
  gray: number,
): string {
  return `${gray} g ${pdfNumber(x)} ${pdfNumber(y)} ${pdfNumber(width)} ${pdfNumber(height)} re f 0 g\n`;
}

export function strokeLine(
  x1: number,
  x2: number,
  y: number,
  lineWidth: number,
  gray: number,
): string {
  const at = pdfNumber(y);
  return `${gray} G ${lineWidth} w ${pdfNumber(x1)} ${at} m ${pdfNumber(x2)} ${at} l S\n`;
}

/**
 * One line of text at (x, baseline) in its own text object, in a gray that is reset to black
 * after it. `bytes` is an `EncodedText`'s.
 */
export function textLine(
  fontId: string,
  fontSize: number,
  x: number,
  baseline: number,
  bytes: string,
  gray = 0,
): string {
  const color = gray === 0 ? '' : `${gray} g `;
  const reset = gray === 0 ? '' : ' 0 g';
  return `${color}BT /${fontId} ${pdfNumber(fontSize)} Tf ${pdfNumber(x)} ${pdfNumber(baseline)} Td (${bytes}) Tj ET${reset}\n`;
}

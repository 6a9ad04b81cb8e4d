import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

/**
 * One column's widest cells, measured over records in the cell font, in 1/1000 em (font units:
 * points at a font size of 1000), so they hold at any `fontSize`.
 */
export interface PdfColumnWidth {
  /** The widest cell drawn as text (which may be cut with "…"). */
  readonly text: number;
  /** The widest cell drawn as a number (never cut). */
  readonly number: number;
  /** Every present value is a number, so the header sits right over them. */
  readonly numbersOnly: boolean;
}

/** Option `measuredWidths`, by column key, as `measurePdfColumns` returns it. */
export type PdfMeasuredWidths = Readonly<Record<string, PdfColumnWidth>>;

/** The option as the stream uses it. */
export type NormalizedMeasuredWidths = ReadonlyMap<string, PdfColumnWidth>;

export function normalizeMeasuredWidths(value: unknown): NormalizedMeasuredWidths | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(
      `option \`pdf.measuredWidths\` must be an object of widths by column key, as measurePdfColumns returns it, got ${describeValue(value)}`,
    );
  }
  const widths = new Map<string, PdfColumnWidth>();
  for (const [key, width] of Object.entries(value)) widths.set(key, columnWidth(key, width));
  return widths;
}

function columnWidth(key: string, value: unknown): PdfColumnWidth {
  const path = `pdf.measuredWidths[${JSON.stringify(key)}]`;
  if (value === null || typeof value !== 'object') {
    throw invalid(
      `option \`${path}\` must be { text, number, numbersOnly }, got ${describeValue(value)}`,
    );
  }
  const { text, number, numbersOnly } = value as Partial<PdfColumnWidth>;
  for (const [name, width] of [
    ['text', text],
    ['number', number],
  ] as const) {
    if (typeof width !== 'number' || !Number.isFinite(width) || width < 0) {
      throw invalid(
        `option \`${path}.${name}\` must be a number >= 0, got ${describeValue(width)}`,
      );
    }
  }
  if (typeof numbersOnly !== 'boolean') {
    throw invalid(
      `option \`${path}.numbersOnly\` must be a boolean, got ${describeValue(numbersOnly)}`,
    );
  }
  return Object.freeze({ text: text as number, number: number as number, numbersOnly });
}

function invalid(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}

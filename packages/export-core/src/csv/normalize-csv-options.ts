import type { ColumnDefaults, ColumnsOption } from '../columns/column-types.js';
import { normalizeColumnDefaults } from '../columns/normalize-columns.js';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

export const csvProfiles = ['rfc4180', 'excel'] as const;
export type CsvProfile = (typeof csvProfiles)[number];

export const csvLineEndings = ['\r\n', '\n'] as const;
export type CsvLineEnding = (typeof csvLineEndings)[number];

export const csvQuoteModes = ['auto', 'all'] as const;
export type CsvQuoteMode = (typeof csvQuoteModes)[number];

/** What a caller passes to `createCsvStream` (and `runExport`'s `csv`), for records of `Row`. */
export interface CsvStreamOptions<Row = unknown> extends ColumnDefaults {
  /** Default: the keys of the first record, in their source order. */
  columns?: ColumnsOption<Row>;
  /**
   * Sets the defaults below at once. `rfc4180` (default): plain CSV, every value as it is.
   * `excel`: BOM, CRLF, the formula guard, digit strings as text.
   */
  profile?: CsvProfile;
  /** One character. Default `,`. */
  delimiter?: string;
  /** Default `\r\n`, as RFC 4180 says. */
  eol?: CsvLineEnding;
  /** A UTF-8 byte order mark first, so Excel reads UTF-8. Default: on for `excel`. */
  bom?: boolean;
  /** `auto` quotes a field only when it must; `all` quotes every field. Default `auto`. */
  quote?: CsvQuoteMode;
  /**
   * Prefix `'` to text starting with = + - @ tab CR or NUL (OWASP); numbers, numeric columns and
   * text that is a plain number (`-5`, `+1e5`) are left alone. Default: on for `excel`.
   */
  escapeFormulas?: boolean;
  /** Write digit-only text with leading zeros or over 15 digits as ="…" so Excel keeps it. */
  digitStringsAsText?: boolean;
}

export interface NormalizedCsvOptions {
  readonly columns: ColumnsOption | undefined;
  readonly columnDefaults: Required<ColumnDefaults>;
  readonly delimiter: string;
  readonly eol: CsvLineEnding;
  readonly bom: boolean;
  readonly quote: CsvQuoteMode;
  readonly escapeFormulas: boolean;
  readonly digitStringsAsText: boolean;
}

const profileDefaults: Record<
  CsvProfile,
  Omit<NormalizedCsvOptions, 'columns' | 'columnDefaults'>
> = {
  rfc4180: {
    delimiter: ',',
    eol: '\r\n',
    bom: false,
    quote: 'auto',
    escapeFormulas: false,
    digitStringsAsText: false,
  },
  excel: {
    delimiter: ',',
    eol: '\r\n',
    bom: true,
    quote: 'auto',
    escapeFormulas: true,
    digitStringsAsText: true,
  },
};

// Characters that cannot separate fields: the quote, line breaks, and those that would break
// fast-csv's escaping pattern.
const forbiddenDelimiters = new Set(['"', '\r', '\n', '\\', ']', '^', '-', '\0']);

export function normalizeCsvOptions<Row = unknown>(
  options: CsvStreamOptions<Row> = {},
): NormalizedCsvOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid(`option \`csv\` must be an object, got ${describeValue(options)}`);
  }
  const profile = oneOf('csv.profile', options.profile ?? 'rfc4180', csvProfiles);
  const defaults = profileDefaults[profile];
  const delimiter = options.delimiter ?? defaults.delimiter;
  if (
    typeof delimiter !== 'string' ||
    delimiter.length !== 1 ||
    forbiddenDelimiters.has(delimiter)
  ) {
    throw invalid(
      `option \`csv.delimiter\` must be one character other than a quote, CR, LF, \\, ], ^ or -, got ${describeValue(delimiter)}`,
    );
  }
  return Object.freeze({
    columns: options.columns,
    columnDefaults: normalizeColumnDefaults(options),
    delimiter,
    eol: oneOf('csv.eol', options.eol ?? defaults.eol, csvLineEndings),
    bom: flag('csv.bom', options.bom ?? defaults.bom),
    quote: oneOf('csv.quote', options.quote ?? defaults.quote, csvQuoteModes),
    escapeFormulas: flag('csv.escapeFormulas', options.escapeFormulas ?? defaults.escapeFormulas),
    digitStringsAsText: flag(
      'csv.digitStringsAsText',
      options.digitStringsAsText ?? defaults.digitStringsAsText,
    ),
  });
}

function oneOf<const Value extends string>(
  name: string,
  value: unknown,
  allowed: readonly Value[],
): Value {
  if (allowed.includes(value as Value)) return value as Value;
  const shown = allowed.map((item) => JSON.stringify(item)).join(', ');
  throw invalid(`option \`${name}\` must be one of ${shown}, got ${describeValue(value)}`);
}

function flag(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw invalid(`option \`${name}\` must be a boolean, got ${describeValue(value)}`);
}

function invalid(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}

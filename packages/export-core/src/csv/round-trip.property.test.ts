import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText } from './csv-test-helpers.js';

// Any text but NUL, which fast-csv drops (tested on its own); quotes, delimiters, CR, LF and
// emoji are all in the alphabet on purpose.
const cellText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('"', ',', ';', '\r', '\n', '\t', ' ', '=', '-', '📈', 'ğ', 'İ'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 30,
  })
  .map((text) => text.replaceAll('\u0000', ''));

const headerText = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 });

describe('a CSV round trip', () => {
  it('gives back the same cells, header in column order, for arbitrary Unicode text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(headerText, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('\r\n' as const, '\n' as const),
        fc.infiniteStream(cellText),
        async (headers, rowCount, delimiter, eol, texts) => {
          const rows = Array.from({ length: rowCount }, () =>
            headers.map(() => texts.next().value),
          );
          const records = rows.map((row) =>
            Object.fromEntries(headers.map((key, i) => [key, row[i]])),
          );
          const csv = await csvText(records, {
            columns: headers,
            delimiter,
            eol,
            escapeFormulas: false,
          });
          const parsed: string[][] = parse(csv, { delimiter, relax_column_count: false });
          expect(parsed).toEqual([headers, ...rows]);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

import { parse } from 'csv-parse/sync';

const examplesPerColumn = 3;

export interface CsvComparison {
  /** Empty when the two files hold the same header, in order, and the same cells. */
  differences: string[];
  /** Differing cells per column of the expected header (0 for a column that matches). */
  differingCells: Record<string, number>;
}

export interface CompareOptions {
  /** The column that names a row in the examples (its expected value is shown). */
  rowKey: string;
  /**
   * The expected text of a cell of `column`, from PostgreSQL's; the cell as it is unless given.
   * For a documented difference of the two formats only.
   */
  expectedCell?: (column: string, postgresCell: string) => string;
}

/**
 * Compares an exported CSV with PostgreSQL's COPY … CSV of the same rows, cell by cell, after
 * parsing both with csv-parse: the two quote differently (PostgreSQL quotes '' as "" and ends lines
 * with LF; the exporter quotes only when it must and ends lines with CRLF), and that is all a
 * parse removes. The header must be the same names in the same order; cells are matched by column
 * name, so that a column out of place still has its cells checked.
 */
export function compareWithPostgres(
  postgres: Buffer,
  exported: Buffer,
  { rowKey, expectedCell = (_column, cell) => cell }: CompareOptions,
): CsvComparison {
  const expectedRows = parseCsv(postgres, 'PostgreSQL');
  const actualRows = parseCsv(exported, 'export');
  const [expectedHeader = [], ...expectedBody] = expectedRows;
  const [actualHeader = [], ...actualBody] = actualRows;
  const differences: string[] = [];
  const differingCells: Record<string, number> = {};

  if (expectedHeader.join('\u0000') !== actualHeader.join('\u0000')) {
    differences.push(
      `header: expected ${JSON.stringify(expectedHeader)}, got ${JSON.stringify(actualHeader)}`,
    );
  }
  if (expectedBody.length !== actualBody.length) {
    differences.push(`rows: expected ${expectedBody.length}, got ${actualBody.length}`);
  }
  const keyIndex = expectedHeader.indexOf(rowKey);
  const rows = Math.min(expectedBody.length, actualBody.length);
  for (const [expectedIndex, column] of expectedHeader.entries()) {
    const actualIndex = actualHeader.indexOf(column);
    if (actualIndex === -1) {
      differingCells[column] = rows;
      differences.push(`${column}: missing from the export's header`);
      continue;
    }
    let count = 0;
    const examples: string[] = [];
    for (let row = 0; row < rows; row += 1) {
      const postgresCell = expectedBody[row]?.[expectedIndex] ?? '';
      const want = expectedCell(column, postgresCell);
      const got = actualBody[row]?.[actualIndex];
      if (got === want) continue;
      count += 1;
      if (examples.length < examplesPerColumn) {
        const key = expectedBody[row]?.[keyIndex];
        examples.push(
          `row ${row + 1} (${rowKey} ${key}): expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
        );
      }
    }
    differingCells[column] = count;
    if (count > 0) {
      differences.push(`${column}: ${count} of ${rows} cells differ; ${examples.join('; ')}`);
    }
  }
  return { differences, differingCells };
}

function parseCsv(bytes: Buffer, name: string): string[][] {
  try {
    // Every field a string, as written; a row with a different field count fails the parse.
    return parse(bytes, { encoding: 'utf8', relax_column_count: false, trim: false }) as string[][];
  } catch (error) {
    throw new Error(`${name}'s CSV does not parse: ${(error as Error).message}`, { cause: error });
  }
}

/** The failure message of a comparison: one line per difference. */
export function describeComparison(title: string, comparison: CsvComparison): string {
  return `${title} differs from PostgreSQL's COPY … CSV:\n${comparison.differences.join('\n')}`;
}

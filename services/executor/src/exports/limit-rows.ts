import { TooManyRowsError } from '../errors.js';

/** Passes records through, failing with EXECUTOR_TOO_MANY_ROWS past `maxRows`. */
export async function* limitRows<Row>(
  records: AsyncIterable<Row>,
  maxRows: number,
): AsyncGenerator<Row> {
  let rows = 0;
  for await (const record of records) {
    rows += 1;
    if (rows > maxRows) throw new TooManyRowsError(maxRows);
    yield record;
  }
}

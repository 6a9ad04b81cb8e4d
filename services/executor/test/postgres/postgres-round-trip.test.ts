import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../build-test-app.js';
import { type JobView, waitForJobStatus } from '../job-helpers.js';
import { compareWithPostgres, describeComparison } from './compare-csv.js';
import {
  columnNames,
  postgresCsv,
  roundTripRows,
  tableAsNdjson,
  tableSelectWithJsonDates,
} from './round-trip-table.js';
import { postgresSetupTimeoutMs, usePostgresTable } from './use-postgres-table.js';

const roundTripTimeoutMs = 180_000;

// rfc4180: no BOM, no formula guard. \N for NULL, as the reference writes it, so that NULL and ''
// stay apart. No `columns`: the header must come from the first record's keys, in their order.
const query = new URLSearchParams({
  format: 'csv',
  csvProfile: 'rfc4180',
  nullText: '\\N',
  timeZone: 'UTC',
}).toString();
const expectedHeaderLine = `${columnNames.join(',')}\r\n`;

describe('a PostgreSQL table through the service, as NDJSON from row_to_json', () => {
  const postgres = usePostgresTable();
  let ndjson: Buffer;
  let reference: Buffer;

  beforeAll(async () => {
    ndjson = await tableAsNdjson(postgres());
    // row_to_json writes a timestamptz as ISO 8601 (`2024-01-02T03:04:05.123456+00:00`), COPY as
    // PostgreSQL's text (`2024-01-02 03:04:05.123456+00`). The service takes JSON and has no column
    // types, so a date is a string it must pass through: the reference is PostgreSQL's CSV with the
    // date as PostgreSQL's own to_json writes it. No other column is converted.
    reference = await postgresCsv(postgres(), tableSelectWithJsonDates);
    expect(ndjson.toString('utf8').split('\n').length - 1).toBe(roundTripRows);
  }, postgresSetupTimeoutMs);

  function expectSameAsPostgres(csv: Buffer, title: string) {
    const comparison = compareWithPostgres(reference, csv, { rowKey: 'id' });
    expect.soft(comparison.differences, describeComparison(title, comparison)).toEqual([]);
    expect
      .soft(csv.subarray(0, expectedHeaderLine.length).toString('utf8'), 'header line')
      .toBe(expectedHeaderLine);
  }

  it(
    'POST /export/jobs: the downloaded CSV holds every cell as PostgreSQL wrote it',
    async () => {
      const app = await buildTestApp();
      const submitted = await app.inject({
        method: 'POST',
        url: `/export/jobs?${query}`,
        headers: { 'content-type': 'application/x-ndjson' },
        payload: ndjson,
      });
      expect(submitted.statusCode, submitted.body).toBe(202);
      const job = await waitForJobStatus(app, submitted.json<JobView>().id, ['done', 'failed'], {
        timeoutMs: roundTripTimeoutMs,
      });
      expect(job.error, 'the job failed').toBeNull();
      expect(job.rows).toBe(roundTripRows);
      const download = await app.inject({ method: 'GET', url: job.links.download });
      expect(download.statusCode).toBe(200);
      expectSameAsPostgres(download.rawPayload, 'POST /export/jobs');
    },
    roundTripTimeoutMs,
  );

  it(
    'POST /export/stream: the streamed CSV holds every cell as PostgreSQL wrote it',
    async () => {
      const app = await buildTestApp();
      const response = await app.inject({
        method: 'POST',
        url: `/export/stream?${query}`,
        headers: { 'content-type': 'application/x-ndjson' },
        payload: ndjson,
      });
      expect(response.statusCode, response.statusCode === 200 ? '' : response.body).toBe(200);
      expectSameAsPostgres(response.rawPayload, 'POST /export/stream');
    },
    roundTripTimeoutMs,
  );
});

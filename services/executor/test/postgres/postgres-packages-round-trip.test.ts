import { Writable } from 'node:stream';
import { type ColumnOptions, createCsvStream, runExport } from '@org/export-core';
import type { PostgresServer } from '@org/test-postgres';
import Fastify from 'fastify';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compareWithPostgres, describeComparison } from './compare-csv.js';
import { columnNames, postgresCsv, roundTripRows, tableSelect } from './round-trip-table.js';
import { postgresSetupTimeoutMs, usePostgresTable } from './use-postgres-table.js';

const roundTripTimeoutMs = 180_000;
const timestamptzOid = 1184;
const nullText = '\\N';

/**
 * node-postgres turns a timestamptz into a Date, which holds milliseconds: the microseconds would
 * be lost before the exporter sees them. Kept as PostgreSQL's text instead (in the session's UTC),
 * and a string in a datetime column is written as given, so the cell is PostgreSQL's exactly; a
 * Date could not be, whatever the exporter did. int8 and numeric arrive as strings already (exact);
 * the columns say they are numbers, which is what keeps them out of the formula guard.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === timestamptzOid
      ? (text: string) => text
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

const columns: ColumnOptions[] = [
  { key: 'id', type: 'integer' },
  { key: 'pnl', type: 'decimal' },
  { key: 'at', type: 'datetime' },
  { key: 'note', type: 'text' },
  { key: '2024', type: 'integer' },
];

/** What the formula guard does to text that starts with = + - @ tab or CR (none is a number here). */
function guarded(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

async function connect(postgres: PostgresServer): Promise<pg.Client> {
  const client = new pg.Client({
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    database: postgres.database,
    types,
  });
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  return client;
}

/** The table's rows as node-postgres streams them, through a cursor (pg-query-stream). */
function queryRows(client: pg.Client): QueryStream {
  // pg-cursor parses rows with its own `types`, not the client's: pass them again.
  return client.query(new QueryStream(tableSelect, [], { types, batchSize: 1000 }));
}

describe('a PostgreSQL table through the packages, streamed with node-postgres', () => {
  const postgres = usePostgresTable();
  const clients: pg.Client[] = [];
  let reference: Buffer;

  beforeAll(async () => {
    reference = await postgresCsv(postgres(), tableSelect);
  }, postgresSetupTimeoutMs);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
  });

  it(
    'runExport with typed columns writes every cell as PostgreSQL COPY … CSV does',
    async () => {
      const client = await connect(postgres());
      clients.push(client);
      const chunks: Buffer[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      });
      const result = await runExport({
        source: queryRows(client),
        format: 'csv',
        columns,
        nullText,
        timeZone: 'UTC',
        unknownFields: 'error',
        destination,
        csv: { profile: 'rfc4180' },
      });
      expect(result.rows).toBe(roundTripRows);
      const csv = Buffer.concat(chunks);
      const comparison = compareWithPostgres(reference, csv, { rowKey: 'id' });
      expect.soft(comparison.differences, describeComparison('runExport', comparison)).toEqual([]);
      expect
        .soft(csv.subarray(0, 32).toString('utf8'))
        .toMatch(new RegExp(`^${columnNames.join(',')}\r\n`));
    },
    roundTripTimeoutMs,
  );

  it(
    'a Fastify route piping the query into createCsvStream with the formula guard on guards only the text',
    async () => {
      // The finding replayed: numeric arrives as a string, and an untyped guard wrote 62,745 of
      // 200,000 pnl cells as '-3.12345678. A declared number is never guarded: only note changes.
      const app = Fastify();
      app.get('/trades.csv', async (_request, reply) => {
        const client = await connect(postgres());
        clients.push(client);
        const rows = queryRows(client);
        const csv = createCsvStream({
          profile: 'rfc4180',
          escapeFormulas: true,
          columns,
          nullText,
          timeZone: 'UTC',
        });
        rows.once('error', (error) => csv.destroy(error));
        return reply.type('text/csv; charset=utf-8').send(rows.pipe(csv));
      });
      try {
        const response = await app.inject({ method: 'GET', url: '/trades.csv' });
        expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
        const comparison = compareWithPostgres(reference, response.rawPayload, {
          rowKey: 'id',
          expectedCell: (column, cell) =>
            column === 'note' && cell !== nullText ? guarded(cell) : cell,
        });
        expect
          .soft(
            comparison.differences,
            describeComparison('createCsvStream with escapeFormulas', comparison),
          )
          .toEqual([]);
      } finally {
        await app.close();
      }
    },
    roundTripTimeoutMs,
  );
});

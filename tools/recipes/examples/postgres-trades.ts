import { type ColumnOptions, type ExportFormat, isExportFormat } from '@org/export-core';
import { fastifyExport } from '@org/export-fastify';
import Fastify from 'fastify';
import pg from 'pg';
import QueryStream from 'pg-query-stream';

const timestamptzOid = 1184;

/**
 * node-postgres gives bigint (int8) and numeric as strings already, digit for digit. A
 * timestamptz it would turn into a Date, which keeps milliseconds only: keep PostgreSQL's text.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === timestamptzOid
      ? (text: string) => text
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The column types keep the numbers exact and right-aligned in the PDF: a numeric string in an
 * integer or decimal column is written as given, never through a double, and is never taken
 * for a formula. A string in a datetime column is written as given too.
 */
const columns: ColumnOptions[] = [
  { key: 'id', type: 'integer' },
  { key: 'trader', type: 'text' },
  { key: 'symbol', type: 'text' },
  { key: 'qty', type: 'integer' },
  { key: 'price', type: 'decimal' },
  { key: 'booked_at', header: 'booked at', type: 'datetime' },
  { key: 'note', type: 'text' },
];

const tradesQuery = `SELECT id, trader, symbol, qty, price, booked_at, note FROM trades
  WHERE desk = $1 ORDER BY id`;

export async function buildTradesApp(options: { connectionString: string; connections: number }) {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.connections,
    types,
    // Timestamps in UTC, whatever the server's default.
    options: '-c TimeZone=UTC',
  });
  const app = Fastify();
  app.addHook('onClose', () => pool.end());
  await app.register(fastifyExport);

  app.get('/desks/:desk/trades.:format', async (request, reply) => {
    const { desk, format } = request.params as { desk: string; format: string };
    if (!isExportFormat(format)) return reply.code(404).send({ code: 'NOT_FOUND' });
    const client = await pool.connect();
    // A cursor: rows are fetched 1,000 at a time, as fast as the client downloads the file.
    // pg-cursor parses rows with its own `types`, not the pool's: pass them again.
    const rows = client.query(new QueryStream(tradesQuery, [desk], { types, batchSize: 1000 }));
    // Ended, failed, or destroyed because the client hung up: the connection goes back.
    rows.once('close', () => client.release());
    const exportFormat: ExportFormat = format;
    const formatOptions =
      exportFormat === 'pdf'
        ? {
            format: exportFormat,
            pdf: { title: `Trades of ${desk}`, orientation: 'landscape' as const },
          }
        : { format: exportFormat };
    return reply.export({
      filename: `trades ${desk}.${format}`,
      source: rows,
      columns,
      ...formatOptions,
    });
  });
  return app;
}

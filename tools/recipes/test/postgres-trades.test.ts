import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@org/test-postgres';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTradesApp } from '../examples/postgres-trades.js';

const rowCount = 20_000;
const desk = 'İstanbul';
let postgres: PostgresServer;

beforeAll(async () => {
  postgres = await startPostgres();
  // bigint beyond 2^53, numeric(18,8) a double cannot hold, microseconds, Turkish text, NULL,
  // and text that looks like a formula or a number.
  await postgres.psql(`
    CREATE TABLE trades (
      desk text NOT NULL, id bigint PRIMARY KEY, trader text NOT NULL, symbol text NOT NULL,
      qty integer NOT NULL, price numeric(18,8) NOT NULL, booked_at timestamptz NOT NULL, note text
    );
    INSERT INTO trades
    SELECT CASE WHEN n % 10 = 0 THEN 'Ankara' ELSE '${desk}' END,
           9223372036854775807 - n,
           (ARRAY['Şükrü Çağlar', 'İlkay Öğüt', 'ığüşöç İĞÜŞÖÇ'])[1 + n % 3],
           'SYM' || (n % 17),
           n % 1000 - 500,
           (1234567889 + n % 3) + (n % 100000000) / 100000000.0,
           timestamptz '2026-01-01 00:00:00+00' + n * interval '1.000001 second',
           CASE WHEN n % 7 = 0 THEN NULL WHEN n % 11 = 0 THEN '=SUM(A1)' WHEN n % 13 = 0 THEN '-5' ELSE 'note ' || n END
    FROM generate_series(1, ${rowCount}) AS n;
  `);
}, 120_000);

afterAll(() => postgres?.stop());

function appOf(connections: number) {
  return buildTradesApp({ connectionString: postgres.url, connections });
}

/** What PostgreSQL itself writes for the same query: the reference a CSV export must equal. */
async function copyCsv(): Promise<string[][]> {
  const csv = await postgres.psql(
    `COPY (SELECT id, trader, symbol, qty, price, booked_at, note FROM trades WHERE desk = '${desk}' ORDER BY id) TO STDOUT WITH (FORMAT csv)`,
  );
  return parse(csv);
}

describe('the PostgreSQL recipe', () => {
  it('streams the CSV with every cell as PostgreSQL COPY … CSV writes it', async () => {
    const app = await appOf(2);
    const response = await app.inject({
      method: 'GET',
      url: `/desks/${encodeURIComponent(desk)}/trades.csv`,
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="trades Istanbul.csv"; filename*=UTF-8''trades%20%C4%B0stanbul.csv`,
    );
    const [header, ...rows] = parse(response.rawPayload) as string[][];
    expect(header).toEqual(['id', 'trader', 'symbol', 'qty', 'price', 'booked at', 'note']);
    const expected = await copyCsv();
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBe(rowCount - rowCount / 10);
    expect(rows).toEqual(expected);
    // Spot checks of what a double or a Date would have changed.
    expect(rows[0]?.slice(0, 1)).toEqual(['9223372036854755808']);
    expect(rows.some((row) => /^\d{10}\.\d{8}$/.test(row[4] ?? '') && row[4]?.endsWith('1'))).toBe(
      true,
    );
    expect(rows[0]?.[5]).toMatch(/^2026-01-\d\d \d\d:\d\d:\d\d\.\d{6}\+00$/);
    await app.close();
  });

  it('streams a PDF table report that shows the exact numbers', async () => {
    const app = await appOf(2);
    const response = await app.inject({ method: 'GET', url: '/desks/Ankara/trades.pdf' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const folder = mkdtempSync(join(tmpdir(), 'recipe-pdf-'));
    try {
      const file = join(folder, 'trades.pdf');
      writeFileSync(file, response.rawPayload);
      const text = execFileSync('pdftotext', [
        '-layout',
        '-f',
        '1',
        '-l',
        '1',
        file,
        '-',
      ]).toString();
      expect(text).toContain('Trades of Ankara');
      // The first row of Ankara: n = 20,000, the largest n of the desk ordered by id.
      expect(text).toContain('9223372036854755807');
      expect(text).toContain('1234567891.00020000');
      expect(text).toContain('ığüşöç İĞÜŞÖÇ');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    await app.close();
  });

  it('gives the connection back when the client hangs up mid-download', async () => {
    // One connection: had the hang-up kept it, the next download would wait forever.
    const app = await appOf(1);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const request = get(`http://127.0.0.1:${port}/desks/${encodeURIComponent(desk)}/trades.csv`);
    const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
    await once(response, 'data');
    request.destroy();
    const next = await app.inject({ method: 'GET', url: '/desks/Ankara/trades.csv' });
    expect(next.statusCode).toBe(200);
    expect((parse(next.rawPayload) as string[][]).length).toBe(1 + rowCount / 10);
    app.server.closeAllConnections();
    await app.close();
  });

  it('answers a query that fails at once with an error and its code, not a cut 200', async () => {
    const app = await appOf(1);
    await postgres.psql('ALTER TABLE trades RENAME TO trades_elsewhere');
    try {
      const failed = await app.inject({ method: 'GET', url: '/desks/Ankara/trades.csv' });
      expect(failed.statusCode).toBe(500);
      expect(failed.json()).toMatchObject({ code: 'EXPORT_SOURCE_FAILED' });
      expect(failed.json().message).toContain('trades');
    } finally {
      await postgres.psql('ALTER TABLE trades_elsewhere RENAME TO trades');
    }
    // The one connection came back.
    const next = await app.inject({ method: 'GET', url: '/desks/Ankara/trades.csv' });
    expect(next.statusCode).toBe(200);
    await app.close();
  });
});

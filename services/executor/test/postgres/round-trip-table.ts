import type { PostgresServer } from '@org/test-postgres';

export const tableName = 'trades';
export const roundTripRows = 200_000;

/** The table's columns in their order: "2024" comes last, a key JavaScript would put first. */
export const columnNames = ['id', 'pnl', 'at', 'note', '2024'] as const;

/**
 * 200,000 deterministic rows, generated in SQL:
 * - id bigint: 1234567890123456789 + n (beyond 2^53), every tenth negative, and both extremes;
 * - pnl numeric(18,8): -3.12345678, 1234567889.12345678, 100.10000000 (trailing zeros), zero,
 *   the largest value and the smallest step, spread values of both signs, and NULL;
 * - at timestamptz: microseconds, whole seconds, fractions PostgreSQL shortens (.5, .12),
 *   years 1 to 9999, before and after 1970, a leap day, and NULL;
 * - note text: Turkish, '', text starting with = + - @ and tab, commas, quotes, LF and CRLF,
 *   backslashes (which COPY's text format would escape), astral characters, spaces, and NULL;
 * - "2024" integer: an integer-like column name after the others, with NULL.
 */
const createTableSql = `
CREATE TABLE ${tableName} (
  id bigint PRIMARY KEY,
  pnl numeric(18, 8),
  at timestamptz,
  note text,
  "2024" integer
);
INSERT INTO ${tableName}
SELECT
  CASE
    WHEN n = 1 THEN 9223372036854775807
    WHEN n = 2 THEN -9223372036854775808
    WHEN n % 10 = 3 THEN -(1234567890123456789 + n)
    ELSE 1234567890123456789 + n
  END,
  CASE n % 9
    WHEN 0 THEN NULL
    WHEN 1 THEN -3.12345678
    WHEN 2 THEN 1234567889.12345678
    WHEN 3 THEN 100.1
    WHEN 4 THEN 0
    WHEN 5 THEN CASE WHEN n % 2 = 0 THEN 9999999999.99999999 ELSE -0.00000001 END
    ELSE ((n::numeric * 7919.12345679) % 9999999999) * (CASE WHEN n % 2 = 0 THEN -1 ELSE 1 END)
  END,
  CASE n % 8
    WHEN 0 THEN NULL
    WHEN 1 THEN timestamptz '2024-02-29 23:59:59.999999+00'
    WHEN 2 THEN timestamptz '2000-01-01 00:00:00+00' + n * interval '1 second'
    WHEN 3 THEN timestamptz '1969-12-31 23:59:59.5+00' - n * interval '1 day'
    WHEN 4 THEN CASE n % 3
      WHEN 0 THEN timestamptz '0001-01-01 00:00:00+00'
      WHEN 1 THEN timestamptz '0099-06-15 12:00:00.12+00'
      ELSE timestamptz '9999-12-31 23:59:59.999999+00'
    END
    ELSE timestamptz '1901-12-13 20:45:52.000001+00'
      + ((n::bigint * 2654435761) % 8000000000000000) * interval '1 microsecond'
  END,
  CASE n % 13
    WHEN 0 THEN NULL
    WHEN 1 THEN ''
    WHEN 2 THEN 'İstanbul''da ığdır şişli ÇĞÖŞÜ çöğüş ' || n
    WHEN 3 THEN '=SUM(A1:A' || n || ')'
    WHEN 4 THEN '+90 212 ' || n || ' İzmir'
    WHEN 5 THEN '-' || n || ' borç, ödendi'
    WHEN 6 THEN '@kullanıcı' || n
    WHEN 7 THEN 'virgül, "tırnak" ve' || E'\\n' || 'yeni satır ' || n
    WHEN 8 THEN 'satır' || E'\\r\\n' || 'sonu ' || n || ' Ğ'
    WHEN 9 THEN 'C:\\yol\\' || n || '\\N değil \\\\ ters eğik çizgi'
    WHEN 10 THEN E'\\tsekme ' || n
    WHEN 11 THEN '  boşluklu ' || n || '  '
    ELSE 'ı𝔘😀 "' || n || '"'
  END,
  CASE WHEN n % 17 = 0 THEN NULL ELSE (n * 37) % 100003 - 50000 END
FROM generate_series(1, ${roundTripRows}) AS n;
ANALYZE ${tableName};
`;

export async function createRoundTripTable(postgres: PostgresServer): Promise<void> {
  await postgres.psql(createTableSql);
}

/** The records as NDJSON, one `row_to_json` per line, in id order: what a user would upload. */
export async function tableAsNdjson(postgres: PostgresServer): Promise<Buffer> {
  // psql's unaligned tuples-only output writes each value as it is, one row per line; row_to_json
  // escapes line breaks, so a line is a record. (COPY's text format would double backslashes.)
  return postgres.psql(`SELECT row_to_json(t) FROM ${tableName} AS t ORDER BY id`);
}

/**
 * PostgreSQL's own CSV of `select`, NULL written as \\N so that it differs from '' (written "").
 * Its session time zone is UTC.
 */
export async function postgresCsv(postgres: PostgresServer, select: string): Promise<Buffer> {
  return postgres.psql(
    `COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER, NULL '\\N', ENCODING 'UTF8')`,
  );
}

/** The table as it is, in id order: timestamptz as PostgreSQL writes it (`… 03:04:05.123456+00`). */
export const tableSelect = `SELECT id, pnl, at, note, "2024" FROM ${tableName} ORDER BY id`;

/**
 * The table with each timestamptz as row_to_json writes it (`…T03:04:05.123456+00:00`): what an
 * NDJSON upload holds, for a service that takes JSON and has no column types. PostgreSQL itself
 * renders it (to_json), so the comparison needs no conversion of dates in JavaScript.
 */
export const tableSelectWithJsonDates = `SELECT id, pnl, to_json(at) #>> '{}' AS at, note, "2024" FROM ${tableName} ORDER BY id`;

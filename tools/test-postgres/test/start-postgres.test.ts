import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../src/start-postgres.js';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);

afterAll(() => server?.stop());

it('answers psql on a loopback port, in UTF-8 and UTC', async () => {
  expect(server.url).toBe(`postgresql://postgres@127.0.0.1:${server.port}/postgres`);
  const answer = await server.psql("SELECT 'Şükrü', current_setting('TimeZone')");
  expect(answer.toString('utf8')).toBe('Şükrü|UTC\n');
});

it('rejects with psql’s error for bad SQL', async () => {
  await expect(server.psql('SELECT * FROM missing')).rejects.toThrow(/missing/);
});

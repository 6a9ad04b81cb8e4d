import { type PostgresServer, startPostgres } from '@org/test-postgres';
import { afterAll, beforeAll } from 'vitest';
import { createRoundTripTable } from './round-trip-table.js';

/** initdb, start and 200,000 generated rows: a few seconds, more on a loaded machine. */
export const postgresSetupTimeoutMs = 120_000;

/**
 * A throwaway PostgreSQL cluster for the test file, holding the round-trip table: started before
 * its tests, stopped and removed after them. Read it inside tests. When PostgreSQL is not
 * installed, beforeAll fails, and with it every test of the file: nothing is skipped.
 */
export function usePostgresTable(): () => PostgresServer {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    await createRoundTripTable(server);
  }, postgresSetupTimeoutMs);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the PostgreSQL server is read before beforeAll started it');
    return server;
  };
}

export {
  type PostgresServer,
  type StartPostgresOptions,
  startPostgres,
} from './start-postgres.js';

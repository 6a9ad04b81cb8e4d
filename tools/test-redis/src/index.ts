export { findFreePort } from './find-free-port.js';
export {
  pingRedis,
  type RedisServer,
  type StartRedisServerOptions,
  startRedisServer,
} from './start-redis-server.js';

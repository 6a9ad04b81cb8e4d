import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { InvalidConfigError } from './errors.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every environment variable the executor reads, with its default; see docs/configuration.md. */
export const ConfigSchema = Type.Object({
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: 'a host name or IP address to listen on',
  }),
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 4001,
    description: 'an integer from 0 to 65535',
  }),
  LOG_LEVEL: Type.Union(
    logLevels.map((level) => Type.Literal(level)),
    { default: 'info', description: `one of ${logLevels.join(', ')}` },
  ),
});

export type ExecutorConfig = Static<typeof ConfigSchema>;

/**
 * Reads the configuration from the environment once, at boot. An empty variable counts as
 * unset; a bad value fails with EXECUTOR_INVALID_CONFIG naming the variable and what it expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ExecutorConfig {
  const properties: Record<string, TSchema & { type?: string; description?: string }> =
    ConfigSchema.properties;
  const given: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    given[name] = value;
    values[name] = fromEnvironmentString(schema.type, value);
  }
  const config = Value.Default(ConfigSchema, values);
  const [error] = Value.Errors(ConfigSchema, config);
  if (error === undefined) return Object.freeze(config as ExecutorConfig);
  const name = error.instancePath.split('/')[1] ?? '';
  const expected = properties[name]?.description ?? error.message;
  throw new InvalidConfigError(
    `environment variable ${name} must be ${expected}, got ${JSON.stringify(given[name])}`,
  );
}

/** Strict on purpose: "40.5" or "8080abc" stay strings and fail the check instead of rounding. */
function fromEnvironmentString(type: string | undefined, value: string): unknown {
  if (type === 'integer' || type === 'number') {
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (type === 'boolean') {
    if (value === 'true') return true;
    if (value === 'false') return false;
  }
  return value;
}

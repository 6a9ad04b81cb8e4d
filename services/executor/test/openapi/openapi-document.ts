import type { ExecutorApp } from '../../src/app.js';

/** The parts of an OpenAPI 3.1 document that the tests look into. */
export interface OpenapiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenapiOperation>>;
  components: { schemas: Record<string, unknown> };
  [key: string]: unknown;
}

export interface OpenapiOperation {
  summary?: string;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: Record<string, unknown> }> }
  >;
}

/** The document as a client gets it: GET /docs/json, served by @fastify/swagger. */
export async function fetchOpenapiDocument(app: ExecutorApp): Promise<OpenapiDocument> {
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  if (response.statusCode !== 200)
    throw new Error(`GET /docs/json answered ${response.statusCode}`);
  return response.json() as OpenapiDocument;
}

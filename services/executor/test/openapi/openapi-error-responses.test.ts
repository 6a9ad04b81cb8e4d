import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../build-test-app.js';
import { fetchOpenapiDocument, type OpenapiOperation } from './openapi-document.js';

const errorSchema = { $ref: '#/components/schemas/ExecutorError' };
// The routes whose exports go through the limiter: a full queue answers 429.
const limited = ['post /export/run', 'post /export/stream', 'post /export/jobs'];

async function operations(): Promise<Array<[string, OpenapiOperation]>> {
  const document = await fetchOpenapiDocument(await buildTestApp());
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, OpenapiOperation] => [
      `${method} ${path}`,
      operation,
    ]),
  );
}

function errorStatuses(operation: OpenapiOperation): string[] {
  return Object.keys(operation.responses).filter((status) => Number(status) >= 400);
}

describe('the error responses in the OpenAPI document', () => {
  it('declares every error status with the ExecutorError schema, as JSON', async () => {
    for (const [name, operation] of await operations()) {
      for (const status of errorStatuses(operation)) {
        expect(operation.responses[status]?.content, `${name} ${status}`).toEqual({
          'application/json': { schema: errorSchema },
        });
      }
    }
  });

  it('declares 400 on every operation that takes input', async () => {
    for (const [name, operation] of await operations()) {
      const takesInput = (operation.parameters?.length ?? 0) > 0 || 'requestBody' in operation;
      if (takesInput) expect(errorStatuses(operation), name).toContain('400');
    }
  });

  it('declares 413 and 415 on every operation with a body', async () => {
    for (const [name, operation] of await operations()) {
      if ('requestBody' in operation) {
        expect(errorStatuses(operation), name).toEqual(expect.arrayContaining(['413', '415']));
      }
    }
  });

  it('declares 429 exactly on the operations that the limiter queues', async () => {
    const declaring = (await operations())
      .filter(([, operation]) => errorStatuses(operation).includes('429'))
      .map(([name]) => name);
    expect(declaring.sort()).toEqual([...limited].sort());
  });

  it('declares 401 on every operation behind a token', async () => {
    for (const [name, operation] of await operations()) {
      if (operation.security?.length) expect(errorStatuses(operation), name).toContain('401');
    }
  });

  it('declares 404 on every operation on one job, and 409 and 416 on its download', async () => {
    const all = await operations();
    for (const [name, operation] of all.filter(([name]) => name.includes('{id}'))) {
      expect(errorStatuses(operation), name).toContain('404');
    }
    for (const [name, operation] of all.filter(([name]) => name.endsWith('/download'))) {
      expect(errorStatuses(operation), name).toEqual(expect.arrayContaining(['409', '416']));
    }
  });

  it('puts every export route behind the bearer token but the metrics and the signed links', async () => {
    for (const [name, operation] of await operations()) {
      if (!name.includes(' /export/') || name.endsWith('/export/metrics')) continue;
      if (name.includes(' /export/downloads/')) {
        // The link's signature is its credential: a 403 when it does not hold, never a 401.
        expect(operation.security, name).toBeUndefined();
        expect(errorStatuses(operation), name).toContain('403');
        expect(errorStatuses(operation), name).not.toContain('401');
        continue;
      }
      expect(operation.security, name).toEqual([{ bearer: [] }]);
    }
  });
});

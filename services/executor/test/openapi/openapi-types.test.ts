import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../build-test-app.js';
import { fetchOpenapiDocument } from './openapi-document.js';

// `pnpm --filter @org/executor generate:openapi-types` writes it anew after an API change.
const generatedTypes = './generated/executor-api.ts';

describe('the TypeScript types of the API, as openapi-typescript generates them', () => {
  it('are generated from the live /docs/json and match the committed ones', async () => {
    const document = await fetchOpenapiDocument(await buildTestApp());
    const ast = await openapiTS(structuredClone(document) as never);
    await expect(`${COMMENT_HEADER}${astToString(ast)}`).toMatchFileSnapshot(generatedTypes);
  });
});

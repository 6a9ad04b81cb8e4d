import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../build-test-app.js';
import { fetchOpenapiDocument } from './openapi-document.js';

describe('the OpenAPI document at /docs/json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = await fetchOpenapiDocument(await buildTestApp());
    expect(document.openapi).toBe('3.1.0');
    // The parser dereferences what it validates: it gets a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors.map((error) => error.message)).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('would not be valid as OpenAPI 3.0.3, whose exclusiveMinimum is a boolean', async () => {
    // The shape it had: 3.0.3 on the first line, JSON Schema 2020-12 numeric bounds below.
    const document = structuredClone(await fetchOpenapiDocument(await buildTestApp()));
    document.openapi = '3.0.3';
    const result = await validate(document as never);
    expect(result.valid).toBe(false);
    expect(result.valid ? [] : result.errors.map((error) => error.message).join('\n')).toMatch(
      /exclusiveMinimum/,
    );
  });

  it('names the error schema once, as ExecutorError, and refers to it', async () => {
    const document = await fetchOpenapiDocument(await buildTestApp());
    expect(Object.keys(document.components.schemas)).toContain('ExecutorError');
    expect(JSON.stringify(document)).not.toMatch(/def-\d/);
  });

  it('declares the files that /export/stream and the download answer with, in every format', async () => {
    const document = await fetchOpenapiDocument(await buildTestApp());
    for (const [path, method, status] of [
      ['/export/stream', 'post', '200'],
      ['/export/jobs/{id}/download', 'get', '200'],
      ['/export/jobs/{id}/download', 'get', '206'],
    ] as const) {
      const content = document.paths[path]?.[method]?.responses[status]?.content ?? {};
      expect(Object.keys(content), `${method} ${path} ${status}`).toEqual([
        'text/csv',
        'application/pdf',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ]);
    }
  });
});

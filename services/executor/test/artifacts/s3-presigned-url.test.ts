import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { createS3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let server: S3TestServer;
let store: ArtifactStore;
const body = 'id,name\n1,Zoë\n';

beforeAll(async () => {
  server = await startS3TestServer();
  store = createS3ArtifactStore(server.storeOptions({ prefix: 'links/' }));
  await store.put('jobs/l/export.csv', body);
});
afterAll(async () => {
  await store?.close();
  await server?.close();
});

function urlFor(fileName = 'export.csv', expiresInSeconds = 60): Promise<string> {
  if (store.presignedUrl === undefined) throw new Error('an S3 store makes presigned URLs');
  return store.presignedUrl('jobs/l/export.csv', {
    expiresInSeconds,
    fileName,
    contentType: 'text/csv; charset=utf-8',
  });
}

describe('presignedUrl()', () => {
  it('GETs the object with plain fetch, no credentials, as an attachment of the given type', async () => {
    const response = await fetch(await urlFor());
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(body);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="export.csv"');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('names a non-ASCII file with RFC 6266 filename* beside an ASCII fallback', async () => {
    const response = await fetch(await urlFor('relevé été.csv'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="releve ete.csv"; filename*=UTF-8''relev%C3%A9%20%C3%A9t%C3%A9.csv`,
    );
  });

  it('is refused once tampered with: another signature, or another file name', async () => {
    const url = new URL(await urlFor());
    const signature = url.searchParams.get('X-Amz-Signature') as string;
    const resigned = new URL(url);
    resigned.searchParams.set(
      'X-Amz-Signature',
      `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`,
    );
    const renamed = new URL(url);
    renamed.searchParams.set('response-content-disposition', 'attachment; filename="other.csv"');

    for (const tampered of [resigned, renamed]) {
      const response = await fetch(tampered);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
  });

  it('is refused once expired', async () => {
    // Signed an hour ago for a minute.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 3_600_000);
    let url: string;
    try {
      url = await urlFor('export.csv', 60);
    } finally {
      vi.useRealTimers();
    }
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';

export interface ContractStore {
  store: ArtifactStore;
  /** Every key of the store, finished objects only, sorted. */
  keys(): Promise<string[]>;
  /** What unfinished writes are left (temp files, multipart uploads). */
  unfinished(): Promise<number>;
}

/** Bytes no one would type: 0..255 over and over, `size` of them, as a stream of 64 KiB chunks. */
export function generatedBytes(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const length = Math.min(65_536, size - sent);
      const chunk = Buffer.alloc(length);
      for (let index = 0; index < length; index += 1) chunk[index] = (sent + index) % 256;
      sent += length;
      this.push(chunk);
    },
  });
}

export async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** What every artifact store promises, whatever keeps the bytes. */
export function describeArtifactStore(name: string, open: () => Promise<ContractStore>): void {
  describe(`${name}: the artifact store contract`, () => {
    const key = () => `jobs/${randomUUID()}/export.csv`;

    it('shows an object only once its upload completes, with the bytes and size written', async () => {
      const { store, keys } = await open();
      const target = key();
      const upload = store.begin(target, { contentType: 'text/csv' });
      upload.writable.write('id,name\r\n');
      expect(await store.head(target)).toBeUndefined();
      upload.writable.end('1,Ünïcode ✓\r\n');
      await finished(upload.writable);
      expect(await store.head(target)).toBeUndefined();
      const { bytes } = await upload.complete();
      const expected = Buffer.from('id,name\r\n1,Ünïcode ✓\r\n');
      expect(bytes).toBe(expected.length);
      expect((await store.head(target))?.size).toBe(expected.length);
      expect(await bytesOf(await store.read(target))).toEqual(expected);
      expect(await keys()).toContain(target);
    });

    it('streams a large object through and reads it back whole', async () => {
      const { store } = await open();
      const target = key();
      const size = 12 * 1024 * 1024 + 7;
      const upload = store.begin(target);
      const written = createHash('sha256');
      await pipeline(
        generatedBytes(size),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            written.update(chunk);
            yield chunk;
          }
        },
        upload.writable,
      );
      expect((await upload.complete()).bytes).toBe(size);
      const read = createHash('sha256');
      for await (const chunk of await store.read(target)) read.update(chunk);
      expect(read.digest('hex')).toBe(written.digest('hex'));
    });

    it('leaves nothing behind when an upload is aborted, even after the writable failed', async () => {
      const { store, keys, unfinished } = await open();
      const target = key();
      const upload = store.begin(target);
      upload.writable.write(Buffer.alloc(1024, 1));
      upload.writable.once('error', () => {});
      upload.writable.destroy(new Error('the export failed'));
      await upload.abort();
      await upload.abort();
      expect(await store.head(target)).toBeUndefined();
      expect(await keys()).not.toContain(target);
      expect(await unfinished()).toBe(0);
    });

    it('reads a byte range, inclusive at both ends', async () => {
      const { store } = await open();
      const target = key();
      await store.put(target, '0123456789');
      expect((await bytesOf(await store.read(target, { start: 2, end: 5 }))).toString()).toBe(
        '2345',
      );
      expect((await bytesOf(await store.read(target, { start: 9, end: 9 }))).toString()).toBe('9');
    });

    it('refuses to read a missing object with EXECUTOR_STORE_OBJECT_MISSING', async () => {
      const { store } = await open();
      await expect(store.read(key())).rejects.toMatchObject({
        code: 'EXECUTOR_STORE_OBJECT_MISSING',
      });
    });

    it('removes one object, and every object under a prefix but nothing else', async () => {
      const { store, keys } = await open();
      const id = randomUUID();
      const other = `jobs/${randomUUID()}/export.csv`;
      await store.put(`jobs/${id}/export.csv`, 'a');
      await store.put(`jobs/${id}/manifest.json`, '{}');
      await store.put(other, 'b');
      await store.remove(`jobs/${id}/export.csv`);
      await store.remove(`jobs/${id}/export.csv`);
      expect(await store.head(`jobs/${id}/export.csv`)).toBeUndefined();
      await store.removeAll(`jobs/${id}/`);
      const left = await keys();
      expect(left.filter((name) => name.startsWith(`jobs/${id}/`))).toEqual([]);
      expect(left).toContain(other);
    });

    it('removes unfinished writes under a prefix only once they are old enough', async () => {
      const { store, unfinished } = await open();
      const id = randomUUID();
      const upload = store.begin(`jobs/${id}/export.csv`);
      // More than one multipart part (5 MiB): an S3 upload begins only once a part is full.
      upload.writable.write(Buffer.alloc(6 * 1024 * 1024, 2));
      const deadline = Date.now() + 10_000;
      while ((await unfinished()) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await unfinished()).toBe(1);
      expect(await store.removeUnfinished(`jobs/${id}/`, { olderThanMs: 3_600_000 })).toBe(0);
      expect(await store.removeUnfinished(`jobs/${randomUUID()}/`)).toBe(0);
      expect(await store.removeUnfinished(`jobs/${id}/`)).toBe(1);
      expect(await unfinished()).toBe(0);
      upload.writable.once('error', () => {});
      await upload.abort();
    });
  });
}

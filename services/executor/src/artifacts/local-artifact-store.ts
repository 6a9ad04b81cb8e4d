import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { openAtomicFile } from '@org/export-core';
import { StoreMisconfiguredError, StoreObjectMissingError } from '../errors.js';
import { removePartialFiles } from '../jobs/remove-partial-files.js';
import type { ArtifactStore, ArtifactUpload } from './artifact-store.js';

export interface LocalArtifactStore extends ArtifactStore {
  readonly kind: 'local';
  /**
   * The file behind `key`: the export library writes it atomically itself, and worker threads
   * read inputs from it without passing the bytes through the event loop.
   */
  pathOf(key: string): string;
}

/**
 * Objects as files under `root` (EXPORT_DIR): a key is a relative path. A write goes to a hidden
 * `.partial` temp file beside its target and is renamed over it once fsynced, so a file is
 * whole or absent, and a killed process's temp files are told apart by their suffix.
 */
export function createLocalArtifactStore(root: string): LocalArtifactStore {
  const pathOf = (key: string) => join(root, key);

  function begin(key: string): ArtifactUpload {
    const path = pathOf(key);
    const writable = new PassThrough();
    // Opened at once, written as bytes come: the temp file is what abort() removes.
    const opened = mkdir(dirname(path), { recursive: true }).then(() => openAtomicFile(path));
    let bytes = 0;
    // Counted as they pass, not by a 'data' listener: that would let bytes flow before the file
    // is open to take them.
    async function* counted(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        bytes += chunk.length;
        yield chunk;
      }
    }
    const written = opened.then(async (file) => {
      await pipeline(writable, counted, file.stream);
      return file;
    });
    written.catch(() => {});
    let settled: Promise<void> | undefined;
    return {
      writable,
      async complete() {
        const file = await written;
        await file.commit();
        return { bytes };
      },
      abort() {
        settled ??= (async () => {
          writable.destroy();
          const file = await opened.catch(() => undefined);
          await file?.discard();
        })();
        return settled;
      },
    };
  }

  return {
    kind: 'local',
    pathOf,
    begin,
    async put(key, body) {
      const upload = begin(key);
      upload.writable.end(body);
      try {
        await finished(upload.writable);
        await upload.complete();
      } catch (error) {
        await upload.abort();
        throw error;
      }
    },
    async head(key) {
      const stats = await stat(pathOf(key)).catch(() => undefined);
      return stats?.isFile() ? { size: stats.size, lastModified: stats.mtime } : undefined;
    },
    async read(key, range) {
      const stream: Readable = createReadStream(pathOf(key), range ?? {});
      // Opened before it is handed on: a missing file is the caller's error now, not a stream's.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'ENOENT' ? new StoreObjectMissingError(key) : error),
        );
      });
      return stream;
    },
    async remove(key) {
      await unlink(pathOf(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
    async removeAll(prefix) {
      // Keys under a prefix are the files of one folder here (a job's `jobs/<id>/`).
      await rm(pathOf(prefix), { recursive: true, force: true });
    },
    async removeUnfinished(prefix, options = {}) {
      const olderThanMs = options.olderThanMs ?? 0;
      const removed = await removePartialFiles(
        pathOf(prefix),
        olderThanMs > 0 ? { unchangedForMs: olderThanMs } : {},
      );
      return removed.length;
    },
    async check() {
      try {
        await mkdir(root, { recursive: true });
        await readdir(root);
      } catch (error) {
        throw new StoreMisconfiguredError(
          `EXPORT_DIR=${root}: cannot be used as the artifact store (${(error as Error).message})`,
        );
      }
    },
    async close() {},
  };
}

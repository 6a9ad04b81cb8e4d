import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/** Temp files end with this, so a sweep can tell them from finished files. */
export const partialFileSuffix = '.partial';

export interface AtomicFile {
  /** The final path; nothing is there until `commit()`. */
  readonly path: string;
  /** Where the bytes go meanwhile: a hidden file in the same folder, so rename is atomic. */
  readonly temporaryPath: string;
  readonly stream: Writable;
  /** fsync, close, rename over `path`, fsync the folder: the file appears whole or not at all. */
  commit(): Promise<void>;
  /** Close and remove the temporary file; safe to call after a failure, and twice. */
  discard(): Promise<void>;
}

/** A new hidden temp file name beside `path`, unique to one export. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomUUID()}${partialFileSuffix}`);
}

/**
 * Opens a temp file beside `path`. `temporaryPath` is for a caller that must be able to remove
 * the temp file itself should the writer die (a worker thread past its heap cap, say).
 */
export async function openAtomicFile(
  path: string,
  temporaryPath: string = temporaryPathFor(path),
): Promise<AtomicFile> {
  const folder = dirname(path);
  const stream = createWriteStream(temporaryPath, { flags: 'wx', mode: 0o644 });
  await once(stream, 'open');
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  return {
    path,
    temporaryPath,
    stream,
    async commit() {
      await closed;
      // fsync flushes the file, whichever descriptor asks.
      const handle = await open(temporaryPath, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporaryPath, path);
      await syncFolder(folder);
    },
    async discard() {
      stream.destroy();
      await closed;
      await unlink(temporaryPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
  };
}

// Makes the rename itself durable; a folder that cannot be opened for sync (some platforms and
// file systems) is left to the OS.
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close().catch(() => {});
  }
}

import type { Readable, Writable } from 'node:stream';

/**
 * Where jobs' bytes live (their spooled input, their file, its manifest): a local folder or an
 * S3-compatible bucket. Keys are relative and `/`-separated (`jobs/<id>/export.csv`); they are
 * built from ids the executor made, never from request text.
 */
export interface ArtifactStore {
  /** `local` or `s3`: what the job view's download and the docs call it. */
  readonly kind: 'local' | 's3';
  /**
   * Starts writing the object `key`. Nothing is visible under `key` until `complete()` resolves;
   * `abort()` leaves nothing behind (no temp file, no multipart upload or part).
   */
  begin(key: string, options?: ArtifactWriteOptions): ArtifactUpload;
  /** Writes a small object whole (a manifest), visible once the promise resolves. */
  put(key: string, body: string | Uint8Array, options?: ArtifactWriteOptions): Promise<void>;
  /** The object's size, or undefined when there is none. */
  head(key: string): Promise<ArtifactHead | undefined>;
  /**
   * The object's bytes, or those of `range` (inclusive, as HTTP's). Rejects with
   * EXECUTOR_STORE_OBJECT_MISSING when there is no such object.
   */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the object; none is no error. */
  remove(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix` (a job's `jobs/<id>/`). */
  removeAll(prefix: string): Promise<void>;
  /**
   * Removes what writes begun under `prefix` and never completed left (a killed process's temp
   * files or multipart uploads), if begun more than `olderThanMs` ago (0: all of them, only when
   * no other process may be writing). Resolves with how many it removed.
   */
  removeUnfinished(prefix: string, options?: { olderThanMs?: number }): Promise<number>;
  /**
   * A URL that GETs the object without credentials until it expires, when the store can make
   * one (S3's presigned GetObject); undefined for a local folder.
   */
  presignedUrl?(key: string, options: PresignedUrlOptions): Promise<string>;
  /**
   * Proves at boot that the store is usable (the folder or bucket exists and takes a write);
   * rejects with EXECUTOR_STORE_MISCONFIGURED naming the variable to fix.
   */
  check(): Promise<void>;
  close(): Promise<void>;
}

export interface ArtifactWriteOptions {
  contentType?: string | undefined;
}

export interface ArtifactUpload {
  /** Takes the bytes; ending it does not yet make the object visible. */
  readonly writable: Writable;
  /**
   * Once `writable` has finished, makes the object visible under its key and resolves with its
   * size; rejects (having aborted) when that fails.
   */
  complete(): Promise<{ bytes: number }>;
  /** Discards everything written; safe to call more than once and after a failure. */
  abort(): Promise<void>;
}

export interface ArtifactHead {
  size: number;
  lastModified: Date;
}

/** Bytes of an object, as an HTTP Range names them. */
export interface ByteRange {
  /** First byte. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface PresignedUrlOptions {
  expiresInSeconds: number;
  /** The name a browser saves it under (Content-Disposition). */
  fileName: string;
  contentType: string;
}

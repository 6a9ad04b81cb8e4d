import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3StoreOptions } from '../../src/artifacts/s3-store-options.js';
import { addS3rverAdditions } from './s3rver-additions.js';
import { type PendingUpload, pendingUploads } from './s3rver-multipart-uploads.js';

/**
 * An S3-compatible server on 127.0.0.1 (s3rver, which checks SigV4 signatures), over a temporary
 * folder, with one bucket. Other processes can use it too: point EXPORT_S3_ENDPOINT at
 * `endpoint`, with path-style requests and s3rver's credentials (S3RVER / S3RVER).
 */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`; the same across restart(). */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** The folder s3rver keeps buckets, objects and uploads in. */
  readonly directory: string;
  /** What createS3ArtifactStore needs to use this server, with `overrides` on top. */
  storeOptions(overrides?: Partial<S3StoreOptions>): S3StoreOptions;
  /** A plain SDK client, to look at the bucket behind the store's back; destroyed by close(). */
  client(): S3Client;
  /** The bucket's multipart uploads neither completed nor aborted, read from s3rver's folder. */
  pendingUploads(): Promise<PendingUpload[]>;
  /** Makes every pending upload look initiated `ms` earlier than it was. */
  backdateUploads(ms: number): Promise<void>;
  /** Makes UploadPart requests wait, unread, until release(): a stalled S3. */
  holdPartUploads(): { release(): void };
  /** Stops answering as a crash would: open connections are cut, what is stored stays. */
  stop(): Promise<void>;
  /** Listens again on the same port, over the same folder. */
  restart(): Promise<void>;
  /** Stops and deletes the folder. */
  close(): Promise<void>;
}

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'us-east-1';

export async function startS3TestServer(bucket = 'artifacts'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const clients: S3Client[] = [];
  let server: S3rver | undefined;
  // Only names folders under `directory`: usable while the server is stopped.
  let store: S3rver.FilesystemStore | undefined;
  let partsHeld: Promise<void> | undefined;

  const listen = async (port: number): Promise<number> => {
    const created = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      vhostBuckets: false,
      configureBuckets: [{ name: bucket }],
    });
    addS3rverAdditions(created);
    created.middleware.unshift(async (context, next) => {
      if (partsHeld !== undefined && context.method === 'PUT' && 'partNumber' in context.query) {
        await partsHeld;
      }
      await next();
    });
    const address = await created.run();
    server = created;
    store = created.store;
    return address.port;
  };
  const stop = async () => {
    const running = server;
    server = undefined;
    if (running?.httpServer === undefined) return;
    const closed = running.close();
    running.httpServer.closeAllConnections();
    await closed;
  };

  const port = await listen(0);
  const endpoint = `http://127.0.0.1:${port}`;
  const storeOf = () => store as S3rver.FilesystemStore;

  return {
    endpoint,
    bucket,
    region,
    credentials,
    directory,
    storeOptions: (overrides) => ({
      bucket,
      region,
      endpoint,
      forcePathStyle: true,
      credentials,
      ...overrides,
    }),
    client() {
      const client = new S3Client({
        endpoint,
        region,
        forcePathStyle: true,
        credentials,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      clients.push(client);
      return client;
    },
    pendingUploads: () => pendingUploads(storeOf(), bucket),
    async backdateUploads(ms) {
      for (const upload of await pendingUploads(storeOf(), bucket)) {
        const earlier = new Date(upload.initiated.getTime() - ms);
        await utimes(join(upload.directory, 'key'), earlier, earlier);
      }
    },
    holdPartUploads() {
      let release = () => {};
      partsHeld = new Promise((resolve) => {
        release = () => {
          partsHeld = undefined;
          resolve();
        };
      });
      return { release };
    },
    stop,
    async restart() {
      if (server === undefined) await listen(port);
    },
    async close() {
      await stop();
      for (const client of clients) client.destroy();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

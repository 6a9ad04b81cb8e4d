// The parts of @20minutes/s3rver (plain CommonJS, no types) the test server uses.

declare module '@20minutes/s3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  namespace S3rver {
    interface Options {
      address?: string;
      port?: number;
      silent?: boolean;
      directory?: string;
      resetOnClose?: boolean;
      allowMismatchedSignatures?: boolean;
      vhostBuckets?: boolean;
      configureBuckets?: { name: string }[];
    }

    /** The slice of a Koa context that s3rver's middleware and ours read. */
    interface Context {
      method: string;
      path: string;
      query: Record<string, string | string[] | undefined>;
      headers: Record<string, string | string[] | undefined>;
      params: Record<string, string | undefined>;
      state: Record<string, unknown>;
      mountPath?: string;
      body: unknown;
      status: number;
      store: FilesystemStore;
    }

    type Next = () => Promise<void>;
    type Middleware = (context: Context, next: Next) => Promise<void> | void;

    interface FilesystemStore {
      /** `<root>/<bucket>/<key's folders>/<key's name>._S3rver_<resource>`. */
      getResourcePath(bucket: string, key: string | undefined, resource: string): string;
      listObjects(
        bucket: string,
        options: { prefix: string; delimiter: string; maxKeys: number; startAfter: string },
      ): Promise<{ objects: StoredObject[]; commonPrefixes: string[]; isTruncated: boolean }>;
      /** Its `end` is read as `end || Infinity`. */
      getObject(
        bucket: string,
        key: string,
        options?: { start?: number; end?: number | string },
      ): Promise<StoredObject | null>;
    }

    interface StoredObject {
      key: string;
      size: number;
      lastModifiedDate: Date;
      metadata: { etag: string };
    }
  }

  class S3rver {
    constructor(options?: S3rver.Options);
    /** Koa's middleware list, composed when the server starts listening. */
    middleware: S3rver.Middleware[];
    store: S3rver.FilesystemStore;
    httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export = S3rver;
}

declare module '@20minutes/s3rver/lib/middleware/authentication.js' {
  /** Verifies the request's SigV2/SigV4 signature (header or query) for ctx.params' resource. */
  const authentication: () => import('@20minutes/s3rver').Middleware;
  export = authentication;
}

declare module '@20minutes/s3rver/lib/controllers/bucket.js' {
  type Context = import('@20minutes/s3rver').Context;
  type Next = import('@20minutes/s3rver').Next;
  /** Throws NoSuchBucket unless ctx.params.bucket exists. */
  export const bucketExists: (context: Context, next?: Next) => Promise<void>;
}

declare module '@20minutes/s3rver/lib/models/error.js' {
  /** An S3 error response: its code picks the status, the detail becomes XML elements. */
  class S3Error extends Error {
    constructor(code: string, message?: string, detail?: Record<string, unknown>);
  }
  export = S3Error;
}

declare module '@20minutes/s3rver/lib/models/account.js' {
  class AWSAccount {
    id: number;
    displayName: string;
    /** Access key ID → secret. */
    accessKeys: Map<string, string>;
    /** Access key ID → account. */
    static registry: Map<string, AWSAccount>;
    /** The one account s3rver knows (access key S3RVER, secret S3RVER). */
    static DUMMY_ACCOUNT: AWSAccount;
  }
  export = AWSAccount;
}

declare module '@20minutes/s3rver/lib/signature/v4.js' {
  interface SignedRequest {
    accessKeyId: string;
    credential: { date: string; region: string; service: string; termination: string };
    time: string;
    signedHeaders: string[];
    signatureProvided: string;
  }
  /** Reads X-Amz-* query parameters; throws AccessDenied once X-Amz-Expires has passed. */
  export function parseQuery(query: Record<string, unknown>): SignedRequest;
  export function getStringToSign(
    canonicalRequest: {
      method: string;
      uri: string;
      querystring: string;
      headers: Record<string, unknown>;
      timestamp: string;
    },
    request: SignedRequest,
  ): string;
  export function getSigningKey(
    secret: string,
    date: string,
    region: string,
    service: string,
  ): Buffer;
}

declare module '@20minutes/s3rver/lib/utils.js' {
  export function encodeURIComponentRFC3986(text: string): string;
}

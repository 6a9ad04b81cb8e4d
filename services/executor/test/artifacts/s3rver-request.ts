// Small readers shared by the s3rver additions.
import type S3rver from '@20minutes/s3rver';

/** A query parameter's single value, '' when absent. */
export function queryText(context: S3rver.Context, name: string): string {
  const value = context.query[name];
  return typeof value === 'string' ? value : '';
}

/** `/bucket`, `/bucket/` or `/bucket/some/key`, percent-decoded as s3rver's router does. */
export function parseTarget(path: string): { bucket: string; key: string | undefined } | undefined {
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (match === null) return undefined;
  const [, bucket = '', rest] = match;
  try {
    return {
      bucket: decodeURIComponent(bucket),
      key:
        rest === undefined || rest === ''
          ? undefined
          : rest.split('/').map(decodeURIComponent).join('/'),
    };
  } catch {
    return undefined;
  }
}

/** Code-unit order, as S3 sorts keys. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function ignoreMissing<T>(fallback: T) {
  return (error: unknown): T => {
    if ((error as { code?: unknown }).code === 'ENOENT') return fallback;
    throw error;
  };
}

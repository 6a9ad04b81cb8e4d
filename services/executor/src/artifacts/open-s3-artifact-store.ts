import type { S3StoreOption } from '../plugins/normalize-export-plugin-options.js';
import type { ArtifactStore } from './artifact-store.js';

/**
 * The S3 store, checked: resolves once the bucket is proven usable, rejects with
 * EXECUTOR_STORE_MISCONFIGURED naming what to fix. The AWS SDK is loaded only here, so a
 * service without a bucket never loads it.
 */
export async function openS3ArtifactStore(option: S3StoreOption): Promise<ArtifactStore> {
  const { createS3ArtifactStore } = await import('./s3-artifact-store.js');
  const store = createS3ArtifactStore({
    bucket: option.bucket,
    prefix: option.prefix ?? '',
    region: option.region,
    ...(option.endpoint === undefined ? {} : { endpoint: option.endpoint }),
    forcePathStyle: option.forcePathStyle ?? false,
    ...(option.credentials === undefined ? {} : { credentials: option.credentials }),
  });
  try {
    await store.check();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

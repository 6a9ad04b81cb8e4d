import type { TestProject } from 'vitest/node';
import { startS3TestServer } from './s3-test-server.js';

/** One S3 server for the S3 projects' run; each app keeps its objects under a prefix of its own. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startS3TestServer();
  project.provide('s3TestStore', {
    endpoint: server.endpoint,
    bucket: server.bucket,
    region: server.region,
    accessKeyId: server.credentials.accessKeyId,
    secretAccessKey: server.credentials.secretAccessKey,
  });
  return () => server.close();
}

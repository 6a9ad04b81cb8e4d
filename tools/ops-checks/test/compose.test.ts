import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigSchema, loadConfig } from '@org/executor';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeValidator } from '../src/compose-schema.js';
import { instructionArguments, readDockerfile } from '../src/dockerfile.js';
import { readYamlDocuments } from '../src/kustomization.js';
import { opsFiles, opsPaths, scrapeJob } from '../src/ops-files.js';
import { repositoryPath } from '../src/repository-root.js';
import { runPromtool } from '../src/run-promtool.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  read_only?: boolean;
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }> | string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const composeText = readFileSync(opsPaths.compose, 'utf8');
// Merge keys (`<<: *executor`) as Compose reads them.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const composeDirectory = dirname(opsPaths.compose);
const executors = Object.entries(compose.services).filter(([name]) => name.startsWith('executor-'));
// The executor's last resort after its shutdown timeout (src/shut-down.ts).
const lastResortSeconds = 4;

/** `host:container[:mode]` bind mounts of a service: the host side, resolved, with the rest. */
function bindMounts(service: ComposeService): { host: string; container: string }[] {
  return (service.volumes ?? [])
    .filter((volume) => volume.startsWith('.'))
    .map((volume) => {
      const [host = '', container = ''] = volume.split(':');
      return { host: resolve(composeDirectory, host), container };
    });
}

describe('ops/compose/compose.yaml', () => {
  it('is valid against the Compose Specification’s schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs three executors, Redis, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'executor-1',
      'executor-2',
      'executor-3',
      'grafana',
      'prometheus',
      'redis',
    ]);
  });

  it('binds only files that exist, from the repository', () => {
    const missing = Object.values(compose.services)
      .flatMap(bindMounts)
      .filter(({ host }) => !existsSync(host));
    expect(missing).toEqual([]);
  });
});

describe.each(executors)('the service %s', (_, executor) => {
  it('builds ops/docker/Dockerfile from the repository root', () => {
    expect(resolve(composeDirectory, executor.build?.context ?? '')).toBe(
      repositoryPath('.').replace(/\/$/, ''),
    );
    expect(executor.build?.dockerfile).toBe(opsFiles.dockerfile);
  });

  it('sets only variables that config.ts reads, to values the executor loads', () => {
    const environment = executor.environment ?? {};
    const known = new Set(Object.keys(ConfigSchema.properties));
    expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
    // Compose substitutes ${EXPORT_API_TOKENS:-} with empty when unset, which the executor takes as unset.
    const substituted = Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [name, value.replace(/\$\{[^}]*\}/g, '')]),
    );
    expect(loadConfig(substituted).REDIS_URL).toBe('redis://redis:6379');
  });

  it('shares the one exports volume at EXPORT_DIR, on a read-only root file system', () => {
    // EXPORT_DIR is the image's: ops/docker/Dockerfile sets it.
    const environment = instructionArguments(readDockerfile(opsPaths.dockerfile), 'ENV').join(' ');
    const exportDirectory = /\bEXPORT_DIR=(\S+)/.exec(environment)?.[1];
    expect(executor.volumes).toEqual([`exports:${exportDirectory}`]);
    expect(Object.keys(compose.volumes ?? {})).toContain('exports');
    expect(executor.read_only).toBe(true);
  });

  it('starts once Redis is healthy, and is given time to drain when stopped', () => {
    expect(executor.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    const grace = Number(/^(\d+)s$/.exec(executor.stop_grace_period ?? '')?.[1]);
    const shutdown = Number(executor.environment?.EXPORT_SHUTDOWN_TIMEOUT_S);
    expect(grace).toBeGreaterThan(shutdown + lastResortSeconds);
  });

  it('publishes its port on loopback only', () => {
    expect(executor.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+:4001$/)]);
  });
});

describe('the Prometheus of compose.yaml', () => {
  const prometheus = compose.services.prometheus ?? {};
  const [configuration] = readYamlDocuments(resolve(composeDirectory, 'prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: {
      job_name: string;
      metrics_path: string;
      static_configs: { targets: string[] }[];
    }[];
  }[];

  it('is a configuration promtool accepts', () => {
    const { status, output } = runPromtool(['check', 'config', 'ops/compose/prometheus.yml']);
    expect(status, output).toBe(0);
  });

  it(`scrapes the three executors at /export/metrics as job="${scrapeJob}"`, () => {
    expect(configuration?.scrape_configs).toEqual([
      {
        job_name: scrapeJob,
        metrics_path: '/export/metrics',
        static_configs: [{ targets: executors.map(([name]) => `${name}:4001`) }],
      },
    ]);
  });

  it('loads ops/prometheus/export.rules.yml', () => {
    const rules = bindMounts(prometheus).find(({ host }) => host === opsPaths.rules);
    expect(rules?.container).toMatch(/^\/etc\/prometheus\/rules\/[^/]+\.yml$/);
    expect(configuration?.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
  });
});

describe('the Grafana of compose.yaml', () => {
  const grafana = compose.services.grafana ?? {};
  const mounts = bindMounts(grafana);
  const [provider] = readYamlDocuments(
    resolve(composeDirectory, 'grafana-provisioning/dashboards.yaml'),
  ) as { providers: { type: string; options: { path: string } }[] }[];
  const [datasources] = readYamlDocuments(
    resolve(composeDirectory, 'grafana-provisioning/datasources.yaml'),
  ) as { datasources: { type: string; url: string; isDefault: boolean }[] }[];

  it('provisions ops/grafana/export-dashboard.json from the folder its provider reads', () => {
    const dashboard = mounts.find(({ host }) => host === opsPaths.dashboard);
    expect(dirname(dashboard?.container ?? '')).toBe(provider?.providers[0]?.options.path);
    expect(provider?.providers[0]?.type).toBe('file');
  });

  it('provisions the Prometheus of compose.yaml as its default data source', () => {
    expect(datasources?.datasources).toEqual([
      expect.objectContaining({
        type: 'prometheus',
        url: 'http://prometheus:9090',
        isDefault: true,
      }),
    ]);
    for (const file of ['datasources', 'dashboards']) {
      expect(
        mounts.some(({ container }) => container.startsWith(`/etc/grafana/provisioning/${file}/`)),
      ).toBe(true);
    }
  });
});

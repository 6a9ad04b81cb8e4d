import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, ConfigSchema, type ExecutorApp, loadConfig } from '@org/executor';
import { clusterMetricNames } from '@org/export-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDockerfile, runtimeUser } from '../src/dockerfile.js';
import { type KubernetesManifest, kustomizationManifests } from '../src/kustomization.js';
import { opsPaths, scrapeJob } from '../src/ops-files.js';

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  envFrom: { configMapRef: { name: string } }[];
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
}

interface Selector {
  matchLabels: Record<string, string>;
}
interface DeploymentSpec {
  selector: Selector;
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}
interface ScaleTarget {
  apiVersion: string;
  kind: string;
  name: string;
}
/** The manifests these tests read, by kind: the fields they read. */
interface Kinds {
  Deployment: { spec: DeploymentSpec };
  ConfigMap: { data: Record<string, string> };
  Service: {
    spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] };
  };
  PersistentVolumeClaim: { spec: { accessModes: string[] } };
  PodDisruptionBudget: { spec: { selector: Selector; maxUnavailable: number } };
  HorizontalPodAutoscaler: { spec: { scaleTargetRef: ScaleTarget; minReplicas: number } };
  ServiceMonitor: {
    spec: {
      selector: Selector;
      jobLabel?: string;
      endpoints: { port: string; path: string; interval: string }[];
    };
  };
  ScaledObject: {
    spec: {
      scaleTargetRef: ScaleTarget;
      triggers: { type: string; metadata: { query: string; threshold: string } }[];
    };
  };
}

const manifestsOf = (directory: string) =>
  kustomizationManifests(directory).map(({ manifest }) => manifest);
const base = manifestsOf(opsPaths.kubernetesBase);
const monitoring = manifestsOf(opsPaths.kubernetesMonitoring);
const keda = manifestsOf(opsPaths.kubernetesKeda);

/** The one manifest of a kind; a second, or none, fails the file. */
function only<Kind extends keyof Kinds>(
  manifests: KubernetesManifest[],
  kind: Kind,
): KubernetesManifest & Kinds[Kind] {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as KubernetesManifest & Kinds[Kind];
}

const deployment = only(base, 'Deployment');
const pod = deployment.spec.template;
const [container] = pod.spec.containers as [Container];
const configMap = only(base, 'ConfigMap');
const service = only(base, 'Service');
const settings = configMap.data;
// config.ts keeps these out of logs: they hold credentials (tokens, a Redis password).
const secretSettings = ['EXPORT_API_TOKENS', 'REDIS_URL'];
// The executor's own last resort after its shutdown timeout (src/shut-down.ts).
const lastResortSeconds = 4;
// Measured (docs/deployment.md#sizing): RSS of an idle executor with its 2 workers warm, and
// its peak in the image under five concurrent 50k-row PDF uploads.
const idleMegabytes = 214;
const busyPeakMegabytes = 547;

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function megabytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`not a quantity in Mi or Gi: ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

let app: ExecutorApp;
let exportDirectory: string;

beforeAll(async () => {
  exportDirectory = await mkdtemp(join(tmpdir(), 'ops-checks-'));
  app = await build({ config: loadConfig({ EXPORT_DIR: exportDirectory }), logger: false });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await rm(exportDirectory, { recursive: true, force: true });
});

describe('the Deployment, against the executor', () => {
  it.each([
    ['startupProbe', '/health'],
    ['livenessProbe', '/health'],
    ['readinessProbe', '/ready'],
  ] as const)('has its %s on GET %s, a route of the executor', (probe, path) => {
    expect(container[probe].httpGet.path).toBe(path);
    expect(app.hasRoute({ method: 'GET', url: path })).toBe(true);
  });

  it('has its probes on the port named http, the container port the executor listens on (PORT)', () => {
    const http = container.ports.find((port) => port.name === 'http');
    expect(http?.containerPort).toBe(Number(settings.PORT));
    for (const probe of [
      container.startupProbe,
      container.livenessProbe,
      container.readinessProbe,
    ]) {
      expect(probe.httpGet.port).toBe('http');
    }
  });

  it('sets only variables that config.ts reads', () => {
    const known = new Set(Object.keys(ConfigSchema.properties));
    const names = [...Object.keys(settings), ...container.env.map((variable) => variable.name)];
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it('has settings that the executor loads, with the Secret’s two', () => {
    const config = loadConfig({
      ...settings,
      REDIS_URL: 'redis://:password@redis:6379',
      EXPORT_API_TOKENS: 'abcdefghijklmnop:alice',
    });
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.EXPORT_DIR).toBe('/exports');
  });

  it('takes the secret settings from the Secret, never from the ConfigMap', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    for (const name of secretSettings) {
      expect(Object.keys(settings)).not.toContain(name);
      expect(
        container.env.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef,
      ).toEqual({
        name: 'export-executor-secrets',
        key: name,
      });
    }
  });

  it('gives a stopping pod its preStop pause, EXPORT_SHUTDOWN_TIMEOUT_S and the executor’s last resort before the kill', () => {
    const [command, seconds] = container.lifecycle.preStop.exec.command;
    expect(command).toBe('sleep');
    const needed = Number(seconds) + Number(settings.EXPORT_SHUTDOWN_TIMEOUT_S) + lastResortSeconds;
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(needed);
  });

  it('runs as the image’s user, read-only, without privileges', () => {
    const { user, group } = runtimeUser(readDockerfile(opsPaths.dockerfile));
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: Number(user),
      runAsGroup: Number(group),
      fsGroup: Number(group),
    });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('mounts the shared ReadWriteMany claim at EXPORT_DIR, the one place the executor writes', () => {
    const mount = container.volumeMounts.find(
      (volumeMount) => volumeMount.mountPath === settings.EXPORT_DIR,
    );
    const volume = pod.spec.volumes.find((entry) => entry.name === mount?.name);
    const claim = only(base, 'PersistentVolumeClaim');
    expect(volume?.persistentVolumeClaim?.claimName).toBe(claim.metadata.name);
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
  });

  it('runs one worker thread per CPU of its limit, and no more threads than slots', () => {
    expect(Number(settings.EXPORT_WORKERS)).toBe(Number(container.resources.limits.cpu));
    expect(Number(settings.EXPORT_MAX_CONCURRENT)).toBeGreaterThanOrEqual(
      Number(settings.EXPORT_WORKERS),
    );
  });

  it('requests the memory of a busy executor and limits it above the worst case: idle, every worker at its heap cap, every running and queued JSON body', () => {
    const worstCase =
      idleMegabytes +
      Number(settings.EXPORT_WORKERS) * Number(settings.EXPORT_WORKER_MAX_MB) +
      (Number(settings.EXPORT_MAX_CONCURRENT) + Number(settings.EXPORT_MAX_QUEUE)) *
        Number(settings.EXPORT_BODY_LIMIT_MB);
    expect(megabytes(container.resources.limits.memory ?? '')).toBeGreaterThan(worstCase);
    expect(megabytes(container.resources.requests.memory ?? '')).toBeGreaterThan(busyPeakMegabytes);
  });

  it('lets the cluster run at least one replica’s worth of exports at once', () => {
    expect(Number(settings.EXPORT_CLUSTER_MAX_CONCURRENT)).toBeGreaterThanOrEqual(
      Number(settings.EXPORT_MAX_CONCURRENT),
    );
  });
});

describe('the Service, PodDisruptionBudget and HorizontalPodAutoscaler', () => {
  it('select the Deployment’s pods', () => {
    expect(matches(deployment.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(matches(service.spec.selector, pod.metadata.labels)).toBe(true);
    expect(
      matches(only(base, 'PodDisruptionBudget').spec.selector.matchLabels, pod.metadata.labels),
    ).toBe(true);
  });

  it('route the Service’s port http to the container’s', () => {
    expect(service.spec.ports).toEqual([
      expect.objectContaining({ name: 'http', targetPort: 'http' }),
    ]);
  });

  it('scale the Deployment, leaving the PodDisruptionBudget a replica to take down', () => {
    const autoscaler = only(base, 'HorizontalPodAutoscaler');
    expect(autoscaler.spec.scaleTargetRef).toEqual({
      apiVersion: deployment.apiVersion,
      kind: deployment.kind,
      name: deployment.metadata.name,
    });
    expect(autoscaler.spec.minReplicas).toBeGreaterThan(
      only(base, 'PodDisruptionBudget').spec.maxUnavailable,
    );
  });
});

describe('the monitoring component', () => {
  const serviceMonitor = only(monitoring, 'ServiceMonitor');

  it('scrapes /export/metrics, a route of the executor, on the Service’s port', () => {
    const [endpoint] = serviceMonitor.spec.endpoints as [
      Kinds['ServiceMonitor']['spec']['endpoints'][0],
    ];
    expect(endpoint).toMatchObject({ port: 'http', path: '/export/metrics', interval: '15s' });
    expect(app.hasRoute({ method: 'GET', url: endpoint.path })).toBe(true);
    expect(matches(serviceMonitor.spec.selector.matchLabels, service.metadata.labels ?? {})).toBe(
      true,
    );
  });

  it(`labels the scrape job="${scrapeJob}", as the rules expect: the Service's name`, () => {
    expect(serviceMonitor.spec.jobLabel).toBeUndefined();
    expect(service.metadata.name).toBe(scrapeJob);
  });
});

describe('the keda component', () => {
  const scaledObject = only(keda, 'ScaledObject');

  it('scales the Deployment on the cluster queue depth of the export-executor job', () => {
    expect(scaledObject.spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    const [trigger] = scaledObject.spec.triggers as [Kinds['ScaledObject']['spec']['triggers'][0]];
    expect(trigger.type).toBe('prometheus');
    expect(trigger.metadata.query).toBe(
      `max(${clusterMetricNames.queueDepth}{job="${scrapeJob}"})`,
    );
    expect(Number(trigger.metadata.threshold)).toBeGreaterThan(0);
  });
});

import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelOf } from '../src/kubernetes-models.js';
import {
  kustomizationManifests,
  readKustomization,
  readYamlDocuments,
} from '../src/kustomization.js';
import { opsPaths } from '../src/ops-files.js';
import { repositoryRoot } from '../src/repository-root.js';
import { unknownFields } from '../src/unknown-fields.js';

const kustomizationDirectories = readdirSync(opsPaths.kubernetes, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(opsPaths.kubernetes, entry.name));
const yamlFiles = readdirSync(opsPaths.kubernetes, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.yaml') && !file.endsWith('kustomization.yaml'))
  .map((file) => relative(repositoryRoot, join(opsPaths.kubernetes, file)))
  .sort();
const listed = kustomizationDirectories.flatMap((directory) => kustomizationManifests(directory));
const manifests = yamlFiles.flatMap((file) =>
  readYamlDocuments(join(repositoryRoot, file)).map((manifest, index) => ({
    name: `${file}#${index}`,
    manifest: manifest as { apiVersion?: string; kind?: string },
  })),
);
// The fields of kustomize's Kustomization and Component that these use or may come to use.
const kustomizationFields = new Set([
  'apiVersion',
  'kind',
  'resources',
  'components',
  'patches',
  'images',
  'namespace',
  'labels',
  'configMapGenerator',
  'secretGenerator',
  'replicas',
]);

describe('ops/kubernetes', () => {
  it('has a base, a monitoring and a keda component, and an example overlay', () => {
    expect(
      kustomizationDirectories.map((directory) => relative(opsPaths.kubernetes, directory)).sort(),
    ).toEqual(['base', 'example', 'keda', 'monitoring']);
  });

  it('lists every manifest file in a kustomization', () => {
    const listedFiles = new Set(listed.map(({ file }) => file));
    expect(yamlFiles.filter((file) => !listedFiles.has(file))).toEqual([]);
  });

  it.each(
    kustomizationDirectories.map((directory) => [relative(repositoryRoot, directory), directory]),
  )(
    '%s/kustomization.yaml is a Kustomization or a Component with only known fields',
    (_, directory) => {
      const kustomization = readKustomization(directory);
      expect([
        'kustomize.config.k8s.io/v1beta1 Kustomization',
        'kustomize.config.k8s.io/v1alpha1 Component',
      ]).toContain(`${kustomization.apiVersion} ${kustomization.kind}`);
      expect(Object.keys(kustomization).filter((field) => !kustomizationFields.has(field))).toEqual(
        [],
      );
    },
  );

  it('has the keda component delete the base HorizontalPodAutoscaler, which KEDA replaces', () => {
    const [patch] = readKustomization(join(opsPaths.kubernetes, 'keda')).patches ?? [];
    const deletion = patch?.patch ?? '';
    const baseAutoscaler = kustomizationManifests(opsPaths.kubernetesBase).find(
      ({ manifest }) => manifest.kind === 'HorizontalPodAutoscaler',
    )?.manifest;
    expect(deletion).toContain('$patch: delete');
    expect(deletion).toContain(`kind: ${baseAutoscaler?.kind}`);
    expect(deletion).toContain(`apiVersion: ${baseAutoscaler?.apiVersion}`);
    expect(deletion).toContain(`name: ${baseAutoscaler?.metadata.name}`);
  });
});

describe.each(manifests)('the manifest $name', ({ manifest }) => {
  const model = modelOf(manifest);

  it('is of a kind that has a schema here', () => {
    expect(model, `${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
  });

  it('is valid against the schema of its kind', () => {
    // The message, not only a throw: it names every path that fails and why.
    let errors = '';
    try {
      model?.prototype.validate.call(manifest);
    } catch (error) {
      errors = (error as Error).message;
    }
    expect(errors).toBe('');
  });

  it('has no field that the schema of its kind lacks', () => {
    expect(model && unknownFields(model.prototype.validate, manifest)).toEqual([]);
  });
});

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repositoryRoot } from './repository-root.js';

export interface Kustomization {
  apiVersion: string;
  kind: 'Kustomization' | 'Component';
  resources?: string[];
  components?: string[];
  patches?: { patch?: string; path?: string; target?: Record<string, string> }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  namespace?: string;
  [field: string]: unknown;
}

export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; [field: string]: unknown };
  [field: string]: unknown;
}

export interface ManifestFile {
  /** Relative to the repository root. */
  file: string;
  manifest: KubernetesManifest;
}

/** The documents of a YAML file; a parse error throws, naming the file. */
export function readYamlDocuments(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) {
      throw new Error(`${relative(repositoryRoot, path)}: ${document.errors[0]?.message}`);
    }
    return document.toJS();
  });
}

export function readKustomization(directory: string): Kustomization {
  const [kustomization] = readYamlDocuments(join(directory, 'kustomization.yaml'));
  return kustomization as Kustomization;
}

/**
 * The manifests a kustomization lists, through its resource folders and components, in order.
 * Only the listing is followed: patches, images and the namespace are kustomize's to apply.
 */
export function kustomizationManifests(directory: string): ManifestFile[] {
  const kustomization = readKustomization(directory);
  return [...(kustomization.resources ?? []), ...(kustomization.components ?? [])].flatMap(
    (entry) => {
      const path = join(directory, entry);
      if (!existsSync(path)) {
        throw new Error(
          `${relative(repositoryRoot, directory)}/kustomization.yaml lists ${entry}, which does not exist`,
        );
      }
      if (statSync(path).isDirectory()) return kustomizationManifests(path);
      return readYamlDocuments(path).map((manifest) => ({
        file: relative(repositoryRoot, path),
        manifest: manifest as KubernetesManifest,
      }));
    },
  );
}

import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { unknownFields } from '../src/unknown-fields.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'executor', labels: { 'app.kubernetes.io/name': 'executor' } },
  spec: {
    selector: { matchLabels: { app: 'executor' } },
    template: {
      metadata: { labels: { app: 'executor' } },
      spec: {
        containers: [{ name: 'executor', image: 'executor', ports: [{ containerPort: 1 }] }],
      },
    },
  },
};

describe('unknownFields', () => {
  it('finds nothing in a manifest that uses only fields of its schema', () => {
    expect(unknownFields(Deployment.prototype.validate, deployment)).toEqual([]);
  });

  it('finds a misspelt field deep inside, by its JSON pointer', () => {
    const misspelt = structuredClone(deployment) as typeof deployment & Record<string, unknown>;
    Object.assign(misspelt.spec.template.spec.containers[0] ?? {}, { livenessProbes: {} });
    Object.assign(misspelt.spec, { replica: 2 });
    expect(unknownFields(Deployment.prototype.validate, misspelt)).toEqual([
      '/spec/replica',
      '/spec/template/spec/containers/0/livenessProbes',
    ]);
  });

  it('takes any key of a map, such as labels or a ConfigMap’s data', () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { ANY: 'x' },
    };
    expect(unknownFields(ConfigMap.prototype.validate, config)).toEqual([]);
  });

  it('finds a field that is not of the kind at the top', () => {
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: {} };
    expect(unknownFields(ConfigMap.prototype.validate, config)).toEqual(['/spec']);
  });
});

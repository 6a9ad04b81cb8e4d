import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';

interface KubernetesModel {
  apiVersion: string;
  kind: string;
  prototype: { validate(this: unknown): void };
}

/**
 * The kinds ops/kubernetes may hold, each with its kubernetes-models class: its `validate`
 * checks a manifest against the kind's schema (the Kubernetes OpenAPI schema, or the CRD's for
 * KEDA and the Prometheus Operator) and throws with every error.
 */
export const kubernetesModels: readonly KubernetesModel[] = [
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Namespace,
  PersistentVolumeClaim,
  PodDisruptionBudget,
  PrometheusRule,
  ScaledObject,
  Service,
  ServiceMonitor,
];

export function modelOf(manifest: {
  apiVersion?: unknown;
  kind?: unknown;
}): KubernetesModel | undefined {
  return kubernetesModels.find(
    (model) => model.apiVersion === manifest.apiVersion && model.kind === manifest.kind,
  );
}

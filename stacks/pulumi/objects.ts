/**
 * The Kubernetes objects a stack applies, built by the Kubernetes target's own chart functions
 * (constructs/k8s), so that a Pulumi stack and the cdk8s manifests can never differ. One group per
 * chart; group names are the program's own and stable (they are part of every child's URN).
 */
import { App, type Chart } from 'cdk8s';
import type { Platform } from '../../infra/model';
import {
  clusterChart,
  clusterContext,
  gpuOperatorChart,
  tenantChart,
  type K8sOptions,
} from '../../constructs/k8s';
import { unresolvedStorageClasses } from '../../constructs/k8s/storage';
import { unresolvedDatasetVolumes } from '../../constructs/k8s/tenant-volumes';
import { tenantClusterQueue } from './cluster-stack';
import type { KubeObject } from './references';
import type { AwsStorageConfig } from './settings';

export interface ObjectGroup {
  /** Logical name of the ConfigGroup (the chart's id, `<cluster>-<chart>`). */
  readonly name: string;
  /** The chart's objects, exactly as `chart.toJson()` gives them. */
  readonly objects: readonly KubeObject[];
}

/** The Kubernetes target's options for one cluster: AWS storage ids belong to its site. */
export function k8sOptions(platform: Platform, clusterId: string, awsStorage?: AwsStorageConfig): K8sOptions {
  if (!awsStorage) return {};
  return { aws: { [clusterContext(platform, clusterId).site.id]: awsStorage } };
}

function group(name: string, chart: Chart): ObjectGroup {
  const objects = chart.toJson() as KubeObject[];
  for (const o of objects) {
    if (typeof o?.metadata?.name !== 'string' || o.metadata.name === '') {
      throw new Error(
        `chart ${chart.node.id} has a ${String(o?.kind)} without metadata.name; objects applied by Pulumi need stable names`,
      );
    }
  }
  return { name, objects };
}

/**
 * A cluster's baseline: the cluster-level namespaced objects (GPU Operator configuration) and its
 * cluster-scoped objects (priority and storage classes, Kueue flavors, cohort and ClusterQueues,
 * GPU Operator policy, guardrails), in that order: the ClusterPolicy names the ConfigMaps. Empty
 * charts are left out.
 */
export function baselineGroups(
  platform: Platform,
  clusterId: string,
  options: K8sOptions = {},
): ObjectGroup[] {
  const app = new App();
  return [
    group(`${clusterId}-gpu-operator`, gpuOperatorChart(app, platform, clusterId)),
    group(`${clusterId}-cluster`, clusterChart(app, platform, clusterId, options)),
  ].filter((g) => g.objects.length > 0);
}

/** One tenant's objects on one cluster: its Namespace, bundle and dataset volumes. */
export function tenantGroups(
  platform: Platform,
  clusterId: string,
  tenantId: string,
  options: K8sOptions = {},
): ObjectGroup[] {
  const app = new App();
  return [group(`${clusterId}-tenant-${tenantId}`, tenantChart(app, platform, clusterId, tenantId, options))];
}

/**
 * A tenant's ClusterQueue as the spec defines it. The baseline deploys it; a tenant stack builds
 * the cluster's chart only to compare it with what the baseline says it deployed.
 */
export function expectedClusterQueue(
  platform: Platform,
  clusterId: string,
  tenantId: string,
  options: K8sOptions = {},
): KubeObject | undefined {
  const objects = clusterChart(new App(), platform, clusterId, options).toJson() as KubeObject[];
  return tenantClusterQueue(objects, tenantId);
}

/**
 * What the stack leaves out because deploy-time ids (AWS file systems) were not given, in the
 * words `genesis synth` uses: `storage-class <site>/<tier>`, `dataset-volume <cluster>/<tenant>/<dataset>`.
 */
export function unresolvedObjects(
  platform: Platform,
  clusterId: string,
  tenantId: string | undefined,
  options: K8sOptions = {},
): string[] {
  const ctx = clusterContext(platform, clusterId);
  if (tenantId === undefined) return unresolvedStorageClasses(ctx, options).map((s) => `storage-class ${s}`);
  return unresolvedDatasetVolumes(ctx, tenantId, options).map(
    (d) => `dataset-volume ${clusterId}/${tenantId}/${d}`,
  );
}

/**
 * The Kubernetes objects a stack applies, built by the Kubernetes target's own chart functions
 * (constructs/k8s), so that a Pulumi stack and the cdk8s manifests can never differ. One group per
 * chart; group names are the program's own and stable (they are part of every child's URN).
 */
import { App, type Chart } from 'cdk8s';
import type { Platform } from '../model';
import { clusterChart, gpuOperatorChart, tenantChart } from '../../constructs/k8s';
import type { KubeObject } from './references';

export interface ObjectGroup {
  /** Logical name of the ConfigGroup. */
  readonly name: string;
  /** The chart's objects, exactly as `chart.toJson()` gives them. */
  readonly objects: readonly KubeObject[];
}

function group(name: string, chart: Chart): ObjectGroup {
  const objects = chart.toJson() as KubeObject[];
  for (const o of objects) {
    if (typeof o?.metadata?.name !== 'string' || o.metadata.name === '') {
      throw new Error(`chart ${chart.node.id} has a ${String(o?.kind)} without metadata.name; objects applied by Pulumi need stable names`);
    }
  }
  return { name, objects };
}

/**
 * A cluster's baseline: its cluster-scoped objects (priority and storage classes, Kueue flavors,
 * cohort and ClusterQueues, GPU Operator policy, guardrails) and the cluster-level namespaced
 * objects (GPU Operator configuration). Empty charts are left out.
 */
export function baselineGroups(platform: Platform, clusterId: string): ObjectGroup[] {
  const app = new App();
  return [group(`${clusterId}-cluster`, clusterChart(app, platform, clusterId)), group(`${clusterId}-gpu-operator`, gpuOperatorChart(app, platform, clusterId))].filter(
    (g) => g.objects.length > 0,
  );
}

/** One tenant's objects on one cluster: its Namespace, bundle and dataset volumes. */
export function tenantGroups(platform: Platform, clusterId: string, tenantId: string): ObjectGroup[] {
  const app = new App();
  return [group(`${clusterId}-tenant-${tenantId}`, tenantChart(app, platform, clusterId, tenantId))];
}

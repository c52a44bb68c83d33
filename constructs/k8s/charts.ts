/**
 * The Kubernetes target's entry points. Each function adds one cdk8s Chart to `app` and returns
 * it; `chart.toJson()` gives the plain objects, so the cdk8s app (stacks/k8s), `synthK8s` and any
 * other program (Pulumi) build the very same objects from the same code.
 *
 *   clusterChart      cluster-scoped platform objects (no namespace), a federation's MultiKueue
 *                     objects on its manager and its worker ClusterRole on each worker
 *   gpuOperatorChart  ConfigMaps of the GPU Operator (namespace gpu-operator)
 *   tenantChart       one tenant's Namespace, bundle and dataset volumes, and on a federation
 *                     worker the RoleBinding of the manager's group
 */
import { Chart, type App } from 'cdk8s';
import type { Platform } from '../../infra/model';
import { addAdmissionGuardrail, addQueueGuardrail } from './admission';
import { addTenancyGuardrails } from './admission-tenancy';
import { clusterContext, type ClusterContext } from './context';
import { addFederationEgress } from './federation-egress';
import {
  addFederationManager,
  addFederationWorkerBindings,
  addFederationWorkerRole,
  federatedQueueChecks,
} from './federation';
import { addClusterPolicy, addGpuOperatorConfigMaps, GPU_OPERATOR_NAMESPACE } from './gpu-operator';
import { addClusterQueue, addCohort, addResourceFlavors, LOCAL_QUEUE } from './kueue';
import { addNetworkGuardrails } from './network-guardrails';
import { addPriorityClasses } from './priority';
import { addStorageClasses, type K8sOptions } from './storage';
import { addTenantBundle } from './tenant';
import { addDatasetVolumes } from './tenant-volumes';

/** Charts never get hashed names; every object names itself. */
const CHART_DEFAULTS = { disableResourceNameHashes: true } as const;

export function clusterChart(
  app: App,
  platform: Platform,
  clusterId: string,
  options: K8sOptions = {},
): Chart {
  const ctx = clusterContext(platform, clusterId);
  const chart = new Chart(app, `${clusterId}-cluster`, CHART_DEFAULTS);
  addPriorityClasses(chart, ctx);
  addStorageClasses(chart, ctx, options);
  addResourceFlavors(chart, ctx);
  addCohort(chart, ctx);
  for (const tenant of ctx.tenants)
    addClusterQueue(chart, ctx, tenant.id, federatedQueueChecks(ctx, tenant.id));
  addFederationManager(chart, ctx);
  addFederationEgress(chart, ctx);
  addFederationWorkerRole(chart, ctx);
  addClusterPolicy(chart, ctx);
  addNetworkGuardrails(chart, ctx);
  addAdmissionGuardrail(chart, ctx);
  addQueueGuardrail(chart, ctx, LOCAL_QUEUE);
  addTenancyGuardrails(chart, ctx, options);
  return chart;
}

export function gpuOperatorChart(app: App, platform: Platform, clusterId: string): Chart {
  const ctx = clusterContext(platform, clusterId);
  const chart = new Chart(app, `${clusterId}-gpu-operator`, {
    ...CHART_DEFAULTS,
    namespace: GPU_OPERATOR_NAMESPACE,
  });
  addGpuOperatorConfigMaps(chart, ctx);
  return chart;
}

export function tenantChart(
  app: App,
  platform: Platform,
  clusterId: string,
  tenantId: string,
  options: K8sOptions = {},
): Chart {
  const ctx = clusterContext(platform, clusterId);
  const chart = new Chart(app, `${clusterId}-tenant-${tenantId}`, CHART_DEFAULTS);
  addTenantBundle(chart, { ctx, tenantId, options });
  addDatasetVolumes(chart, ctx, tenantId, options);
  addFederationWorkerBindings(chart, ctx, tenantId);
  return chart;
}

export interface ClusterCharts {
  readonly ctx: ClusterContext;
  /** File name (without folder) -> chart, in apply order. */
  readonly files: ReadonlyArray<{ readonly file: string; readonly chart: Chart }>;
}

/** One file of a cluster: its name, the tenant it belongs to (if any), and how to build its chart. */
export interface ChartFile {
  readonly file: string;
  readonly tenant?: string;
  readonly build: (app: App) => Chart;
}

/**
 * The files of one cluster, in apply order, without building them. No chart refers to another,
 * so each may be built in an App of its own (cdk8s resolves dependencies over the whole App each
 * time a chart is rendered: one App per chart keeps rendering linear in the number of charts),
 * and a subset (one tenant's) may be built alone.
 */
export function clusterChartFiles(
  platform: Platform,
  clusterId: string,
  options: K8sOptions = {},
): { ctx: ClusterContext; files: ChartFile[] } {
  const ctx = clusterContext(platform, clusterId);
  const files: ChartFile[] = [
    { file: 'cluster.yaml', build: (app) => clusterChart(app, platform, clusterId, options) },
    { file: 'gpu-operator.yaml', build: (app) => gpuOperatorChart(app, platform, clusterId) },
    ...ctx.tenants.map((t) => ({
      file: `tenant-${t.id}.yaml`,
      tenant: t.id,
      build: (app: App) => tenantChart(app, platform, clusterId, t.id, options),
    })),
  ];
  return { ctx, files };
}

/** All charts of one cluster with their file names. */
export function clusterCharts(
  app: App,
  platform: Platform,
  clusterId: string,
  options: K8sOptions = {},
): ClusterCharts {
  const { ctx, files } = clusterChartFiles(platform, clusterId, options);
  return { ctx, files: files.map((f) => ({ file: f.file, chart: f.build(app) })) };
}

/**
 * Kueue objects of one cluster: a ResourceFlavor per node pool, one Cohort with fair sharing, and a
 * ClusterQueue per tenant whose quotas come from {@link tenantResourcePlan}.
 */
import type { Construct } from 'constructs';
import { cpuToMillis, GPU_INFO, poolCapacity, quantityToBytes, type NodePool } from '../../infra/model';
import { gpuNodeLabels, gpuNodeTaint } from '../../infra/contract/gpu-nodes';
import { ANNOTATION, LABEL, tenantNamespace, WELL_KNOWN_LABEL } from '../../infra/contract';
import type { ClusterContext } from './context';
import { clusterQueue, cohort, resourceFlavor, type FlavorQuotas, type QuotaValue } from './crds/kueue';
import { formatBytes, formatCpu } from './quantities';
import { CPU, MEMORY, tenantResourcePlan, type TenantResourcePlan } from './resources';

export const COHORT = 'genesis';

/** The ClusterQueue of a tenant (cluster-scoped; named like its namespace). */
export function clusterQueueName(tenantId: string): string {
  return tenantNamespace(tenantId);
}

/** The LocalQueue every tenant namespace gets. */
export const LOCAL_QUEUE = 'default';

export function formatAmount(resource: string, amount: bigint): QuotaValue {
  if (resource === CPU) return formatCpu(Number(amount));
  if (resource === MEMORY) return formatBytes(amount);
  // Extended resources are whole units; an integer keeps them integers in YAML.
  return Number(amount);
}

/** Annotation recording what a flavor's guaranteed nodes hold (Kueue does not know capacity). */
export const CAPACITY_ANNOTATION = ANNOTATION.capacity;

/**
 * `<gpu resource>=<units>,...,cpu=<cores>,memory=<bytes>` over the pool's guaranteed nodes. Every
 * GPU resource of the cluster is listed (0 where the pool has none), as ClusterQueues quote each
 * of them on every flavor.
 */
export function flavorCapacity(pool: NodePool, clusterGpuResources: readonly string[]): string {
  const cap = poolCapacity(pool);
  const gpus = [...new Set([...clusterGpuResources, cap.resource])]
    .sort()
    .map((r) => `${r}=${r === cap.resource ? cap.units : 0}`);
  const cpu = formatCpu(cpuToMillis(pool.cpuPerNode) * cap.guaranteedNodes);
  const memory = formatBytes(quantityToBytes(pool.memoryPerNode) * BigInt(cap.guaranteedNodes));
  return [...gpus, `cpu=${cpu}`, `memory=${memory}`].join(',');
}

export function addResourceFlavors(scope: Construct, ctx: ClusterContext): void {
  const gpuResources = ctx.pools.map((p) => poolCapacity(p).resource);
  for (const pool of ctx.pools) {
    const taint = gpuNodeTaint(GPU_INFO[pool.gpu.model]);
    // Select only by the platform's own pool label: vendor labels such as nvidia.com/gpu.product
    // disappear while MIG is being reconfigured.
    const { [LABEL.pool]: poolLabel } = gpuNodeLabels(pool, GPU_INFO[pool.gpu.model]);
    resourceFlavor(scope, `flavor-${pool.name}`, {
      metadata: {
        name: pool.name,
        labels: ctx.labels({ pool: pool.name }),
        annotations: { [CAPACITY_ANNOTATION]: flavorCapacity(pool, gpuResources) },
      },
      spec: {
        nodeLabels: { [LABEL.pool]: poolLabel },
        nodeTaints: [taint],
        tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }],
      },
    });
  }
}

export function addCohort(scope: Construct, ctx: ClusterContext): void {
  cohort(scope, 'cohort', {
    metadata: { name: COHORT, labels: ctx.labels() },
    spec: { fairSharing: { weight: 1 } },
  });
}

export function flavorQuotas(plan: TenantResourcePlan): FlavorQuotas[] {
  return plan.shares.map((share) => ({
    name: share.pool.name,
    resources: plan.resources.map((resource) => {
      const a = plan.perFlavor.get(resource)?.get(share.pool.name);
      if (!a) throw new Error(`no ${resource} amounts for flavor ${share.pool.name}`);
      return {
        name: resource,
        nominalQuota: formatAmount(resource, a.nominal),
        borrowingLimit: formatAmount(resource, a.borrowing),
        ...(a.lending !== undefined ? { lendingLimit: formatAmount(resource, a.lending) } : {}),
      };
    }),
  }));
}

/**
 * The tenant's ClusterQueue. `admissionChecks` are the checks every workload of the queue must pass
 * before admission (a federation manager names the tenant's MultiKueue check: see federation.ts).
 */
export function addClusterQueue(
  scope: Construct,
  ctx: ClusterContext,
  tenantId: string,
  admissionChecks: readonly string[] = [],
): void {
  const plan = tenantResourcePlan(ctx, tenantId);
  clusterQueue(scope, `cluster-queue-${tenantId}`, {
    metadata: { name: clusterQueueName(tenantId), labels: ctx.labels({ tenant: tenantId }) },
    spec: {
      cohortName: COHORT,
      // kubernetes.io/metadata.name is set by the API server and cannot be forged by a label.
      namespaceSelector: { matchLabels: { [WELL_KNOWN_LABEL.namespaceName]: tenantNamespace(tenantId) } },
      queueingStrategy: 'BestEffortFIFO',
      fairSharing: { weight: 1 },
      // Fair sharing (the Cohort and queue weights; enabled in Kueue's configuration) decides
      // preemption between queues, so borrowWithinCohort, a classical-preemption knob, is unset.
      preemption: {
        // A tenant gets its guaranteed quota back from borrowers, whatever their priority.
        reclaimWithinCohort: 'Any',
        withinClusterQueue: 'LowerPriority',
      },
      resourceGroups: [{ coveredResources: [...plan.resources], flavors: flavorQuotas(plan) }],
      // v1beta2 names admission checks through a strategy; without onFlavors a check runs for
      // every workload of the queue.
      ...(admissionChecks.length > 0
        ? { admissionChecksStrategy: { admissionChecks: admissionChecks.map((name) => ({ name })) } }
        : {}),
    },
  });
}

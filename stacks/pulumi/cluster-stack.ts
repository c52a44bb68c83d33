/**
 * The contract between a cluster's baseline stack and the tenant stacks on that cluster: what the
 * baseline exports, and how a tenant stack checks it through a `pulumi.StackReference` before any
 * of its objects are applied.
 */
import { createHash } from 'node:crypto';
import type { Cluster, Platform } from '../../infra/model';
import { stableJson } from '../../infra/util/stable-json';
import { LABEL, WELL_KNOWN_LABEL } from '../../infra/contract';
import { refOf, unresolvedReferences, type KubeObject } from './references';
import { ProblemsError } from '../../infra/util/problems';
import { isRecord } from '../../infra/util/records';

/** Names of the baseline stack's outputs that tenant stacks read. */
export const CLUSTER_STACK_OUTPUTS = {
  identity: 'clusterIdentity',
  objects: 'clusterObjects',
  clusterQueues: 'clusterQueues',
  tenantNamespaces: 'tenantNamespaces',
  clusterQueueDigests: 'clusterQueueDigests',
} as const;

export interface ClusterIdentity {
  readonly platform: string;
  readonly cluster: string;
  readonly site: string;
  readonly enclave: string;
  readonly classification: string;
  readonly kubernetesVersion: string;
}

export function clusterIdentity(platform: Platform, cluster: Cluster): ClusterIdentity {
  const enclave = platform.enclaves.find((e) => e.id === cluster.enclave);
  if (!enclave)
    throw new Error(
      `cluster "${cluster.id}" names enclave "${cluster.enclave}", which the platform does not have`,
    );
  return {
    platform: platform.metadata.name,
    cluster: cluster.id,
    site: cluster.site,
    enclave: enclave.id,
    classification: enclave.classification,
    kubernetesVersion: cluster.kubernetesVersion,
  };
}

/** The baseline's objects, as sorted `depends-on` style references. */
export function exportedObjects(objects: readonly KubeObject[]): string[] {
  return [...new Set(objects.map(refOf))].sort();
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/** The namespace a ClusterQueue admits workloads from, when it selects exactly one by name. */
function admittedNamespace(queue: KubeObject): string | undefined {
  const spec = queue.spec as { namespaceSelector?: { matchLabels?: Record<string, string> } } | undefined;
  return spec?.namespaceSelector?.matchLabels?.[WELL_KNOWN_LABEL.namespaceName];
}

/** SHA-256 of a ClusterQueue's spec (keys sorted): which quotas and policy it carries. */
export function clusterQueueDigest(queue: KubeObject): string {
  return createHash('sha256')
    .update(stableJson(queue.spec ?? {}))
    .digest('hex');
}

/** The ClusterQueue of a tenant among a cluster's objects. */
export function tenantClusterQueue(objects: readonly KubeObject[], tenantId: string): KubeObject | undefined {
  return objects.find(
    (o) =>
      o.kind === 'ClusterQueue' &&
      (o.metadata.labels as Record<string, string> | undefined)?.[LABEL.tenant] === tenantId,
  );
}

export type BaselineOutputs = {
  readonly [CLUSTER_STACK_OUTPUTS.identity]: ClusterIdentity;
  readonly [CLUSTER_STACK_OUTPUTS.objects]: string[];
  /** tenant id -> its ClusterQueue. */
  readonly [CLUSTER_STACK_OUTPUTS.clusterQueues]: Record<string, string>;
  /** tenant id -> the namespace its ClusterQueue admits workloads from. */
  readonly [CLUSTER_STACK_OUTPUTS.tenantNamespaces]: Record<string, string>;
  /** tenant id -> {@link clusterQueueDigest} of its ClusterQueue. */
  readonly [CLUSTER_STACK_OUTPUTS.clusterQueueDigests]: Record<string, string>;
};

/** What a baseline stack exports for the tenant stacks of its cluster. */
export function baselineOutputs(identity: ClusterIdentity, objects: readonly KubeObject[]): BaselineOutputs {
  const queues: Array<[string, string]> = [];
  const namespaces: Array<[string, string]> = [];
  const digests: Array<[string, string]> = [];
  for (const o of objects) {
    const tenant = (o.metadata.labels as Record<string, string> | undefined)?.[LABEL.tenant];
    if (o.kind !== 'ClusterQueue' || !tenant) continue;
    queues.push([tenant, o.metadata.name]);
    digests.push([tenant, clusterQueueDigest(o)]);
    const ns = admittedNamespace(o);
    if (ns) namespaces.push([tenant, ns]);
  }
  return {
    [CLUSTER_STACK_OUTPUTS.identity]: identity,
    [CLUSTER_STACK_OUTPUTS.objects]: exportedObjects(objects),
    [CLUSTER_STACK_OUTPUTS.clusterQueues]: Object.fromEntries(queues.sort(byKey)),
    [CLUSTER_STACK_OUTPUTS.tenantNamespaces]: Object.fromEntries(namespaces.sort(byKey)),
    [CLUSTER_STACK_OUTPUTS.clusterQueueDigests]: Object.fromEntries(digests.sort(byKey)),
  };
}

/** Thrown when the cluster stack a tenant stack names cannot carry the tenant. */
export class ClusterStackError extends ProblemsError {
  constructor(
    readonly stack: string,
    problems: readonly string[],
  ) {
    super(
      `cluster stack "${stack}" cannot carry this tenant`,
      problems.map((message) => ({ message })),
    );
    this.name = 'ClusterStackError';
  }
}

export interface TenantOnCluster {
  /** The cluster stack's name, as the tenant stack's config gives it. */
  readonly stack: string;
  /** Identity of the cluster this tenant stack deploys to. */
  readonly identity: ClusterIdentity;
  readonly tenantId: string;
  /** The tenant's objects, as this stack will apply them. */
  readonly objects: readonly KubeObject[];
  /** The tenant's ClusterQueue as this stack's spec defines it (the baseline deploys it). */
  readonly clusterQueue?: KubeObject;
}

/**
 * Checks the outputs of a cluster's baseline stack against a tenant: the stack must be the
 * baseline of the same cluster of the same platform; every cluster-level object the tenant's
 * objects refer to must be among its objects; the tenant's ClusterQueue must admit the namespace
 * the tenant gets and carry the quotas of this stack's spec (the tenant's ResourceQuota and
 * LimitRange come from the same quotas: a stale queue admits what the quota refuses, or the
 * reverse). Returns the tenant's objects unchanged, so that they are applied only once the check
 * has passed.
 */
export function checkClusterStack(
  outputs: Readonly<Record<string, unknown>>,
  tenant: TenantOnCluster,
): readonly KubeObject[] {
  const { stack, identity: expected, tenantId, objects: tenantObjects } = tenant;
  const problems: string[] = [];
  const rerun = `run \`pulumi up\` on stack "${stack}" (genesis:mode baseline, genesis:cluster ${expected.cluster}) with the same spec first`;
  const identity = outputs[CLUSTER_STACK_OUTPUTS.identity];
  const objects = outputs[CLUSTER_STACK_OUTPUTS.objects];
  if (!isRecord(identity)) {
    problems.push(
      `it has no output "${CLUSTER_STACK_OUTPUTS.identity}"; it is not a Genesis baseline stack, or it has not been deployed (${rerun})`,
    );
  } else {
    for (const k of ['platform', 'cluster', 'enclave'] as const) {
      if (identity[k] !== expected[k]) {
        problems.push(
          `it is the baseline of ${k} "${String(identity[k])}", but this stack deploys to ${k} "${expected[k]}"`,
        );
      }
    }
  }
  if (!Array.isArray(objects) || !objects.every((o) => typeof o === 'string')) {
    problems.push(
      `it has no output "${CLUSTER_STACK_OUTPUTS.objects}" listing the cluster's objects (${rerun})`,
    );
  } else if (problems.length === 0) {
    const missing = unresolvedReferences(tenantObjects, objects as string[]);
    const byTarget = new Map<string, string[]>();
    for (const r of missing) byTarget.set(r.to, [...(byTarget.get(r.to) ?? []), `${r.from} (${r.field})`]);
    for (const [to, froms] of [...byTarget].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      problems.push(
        `it does not deploy ${to}, which ${froms.join(', ')} refer${froms.length === 1 ? 's' : ''} to`,
      );
    }
    if (missing.length === 0) {
      // The namespace the tenant's ClusterQueue admits must be the one this stack creates, or no
      // workload of the tenant is ever admitted.
      const admitted = outputs[CLUSTER_STACK_OUTPUTS.tenantNamespaces];
      const namespace = tenantObjects.find((o) => o.kind === 'Namespace' && o.apiVersion === 'v1')?.metadata
        .name;
      const queueNamespace = isRecord(admitted) ? admitted[tenantId] : undefined;
      if (namespace !== undefined && typeof queueNamespace === 'string' && queueNamespace !== namespace) {
        problems.push(
          `its ClusterQueue for tenant "${tenantId}" admits namespace "${queueNamespace}", but this stack creates namespace "${namespace}"`,
        );
      }
      const digests = outputs[CLUSTER_STACK_OUTPUTS.clusterQueueDigests];
      const deployed = isRecord(digests) ? digests[tenantId] : undefined;
      if (tenant.clusterQueue && deployed !== clusterQueueDigest(tenant.clusterQueue)) {
        problems.push(
          deployed === undefined
            ? `it does not say which quotas its ClusterQueue for tenant "${tenantId}" carries (no output "${CLUSTER_STACK_OUTPUTS.clusterQueueDigests}")`
            : `its ClusterQueue ${tenant.clusterQueue.metadata.name} carries other quotas than this stack's spec gives tenant "${tenantId}"`,
        );
      }
    }
    if (problems.length > 0)
      problems.push(
        `the cluster's baseline is older than the spec, or was built from another spec: ${rerun}`,
      );
  }
  if (problems.length > 0) throw new ClusterStackError(stack, problems);
  return tenantObjects;
}

/**
 * The contract between a cluster's baseline stack and the tenant stacks on that cluster: what the
 * baseline exports, and how a tenant stack checks it through a `pulumi.StackReference` before any
 * of its objects are applied.
 */
import type { Cluster, Platform } from '../model';
import { LABEL } from '../../constructs/common/names';
import { refOf, unresolvedReferences, type KubeObject } from './references';

/** Names of the baseline stack's outputs that tenant stacks read. */
export const CLUSTER_STACK_OUTPUTS = {
  identity: 'clusterIdentity',
  objects: 'clusterObjects',
  clusterQueues: 'clusterQueues',
  tenantNamespaces: 'tenantNamespaces',
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
  if (!enclave) throw new Error(`cluster "${cluster.id}" names enclave "${cluster.enclave}", which the platform does not have`);
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
  return spec?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
}

export type BaselineOutputs = {
  readonly [CLUSTER_STACK_OUTPUTS.identity]: ClusterIdentity;
  readonly [CLUSTER_STACK_OUTPUTS.objects]: string[];
  /** tenant id -> its ClusterQueue. */
  readonly [CLUSTER_STACK_OUTPUTS.clusterQueues]: Record<string, string>;
  /** tenant id -> the namespace its ClusterQueue admits workloads from. */
  readonly [CLUSTER_STACK_OUTPUTS.tenantNamespaces]: Record<string, string>;
};

/** What a baseline stack exports for the tenant stacks of its cluster. */
export function baselineOutputs(identity: ClusterIdentity, objects: readonly KubeObject[]): BaselineOutputs {
  const queues: Array<[string, string]> = [];
  const namespaces: Array<[string, string]> = [];
  for (const o of objects) {
    const tenant = (o.metadata.labels as Record<string, string> | undefined)?.[LABEL.tenant];
    if (o.kind !== 'ClusterQueue' || !tenant) continue;
    queues.push([tenant, o.metadata.name]);
    const ns = admittedNamespace(o);
    if (ns) namespaces.push([tenant, ns]);
  }
  return {
    [CLUSTER_STACK_OUTPUTS.identity]: identity,
    [CLUSTER_STACK_OUTPUTS.objects]: exportedObjects(objects),
    [CLUSTER_STACK_OUTPUTS.clusterQueues]: Object.fromEntries(queues.sort(byKey)),
    [CLUSTER_STACK_OUTPUTS.tenantNamespaces]: Object.fromEntries(namespaces.sort(byKey)),
  };
}

/** Thrown when the cluster stack a tenant stack names cannot carry the tenant. */
export class ClusterStackError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly string[],
  ) {
    super(`cluster stack "${stack}" cannot carry this tenant:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ClusterStackError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the outputs of a cluster's baseline stack against a tenant's objects: the stack must be
 * the baseline of the same cluster of the same platform, and every cluster-level object the
 * tenant's objects refer to must be among its objects. Returns the tenant's objects unchanged, so
 * that they are applied only once the check has passed.
 */
export function checkClusterStack(
  stack: string,
  outputs: Readonly<Record<string, unknown>>,
  expected: ClusterIdentity,
  tenantId: string,
  tenantObjects: readonly KubeObject[],
): readonly KubeObject[] {
  const problems: string[] = [];
  const rerun = `run \`pulumi up\` on stack "${stack}" (genesis:mode baseline, genesis:cluster ${expected.cluster}) with the same spec first`;
  const identity = outputs[CLUSTER_STACK_OUTPUTS.identity];
  const objects = outputs[CLUSTER_STACK_OUTPUTS.objects];
  if (!isRecord(identity)) {
    problems.push(`it has no output "${CLUSTER_STACK_OUTPUTS.identity}"; it is not a Genesis baseline stack, or it has not been deployed (${rerun})`);
  } else {
    for (const k of ['platform', 'cluster', 'enclave'] as const) {
      if (identity[k] !== expected[k]) {
        problems.push(`it is the baseline of ${k} "${String(identity[k])}", but this stack deploys to ${k} "${expected[k]}"`);
      }
    }
  }
  if (!Array.isArray(objects) || !objects.every((o) => typeof o === 'string')) {
    problems.push(`it has no output "${CLUSTER_STACK_OUTPUTS.objects}" listing the cluster's objects (${rerun})`);
  } else if (problems.length === 0) {
    const missing = unresolvedReferences(tenantObjects, objects as string[]);
    const byTarget = new Map<string, string[]>();
    for (const r of missing) byTarget.set(r.to, [...(byTarget.get(r.to) ?? []), `${r.from} (${r.field})`]);
    for (const [to, froms] of [...byTarget].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      problems.push(`it does not deploy ${to}, which ${froms.join(', ')} refer${froms.length === 1 ? 's' : ''} to`);
    }
    // The namespace the tenant's ClusterQueue admits must be the one this stack creates, or no
    // workload of the tenant is ever admitted.
    const admitted = outputs[CLUSTER_STACK_OUTPUTS.tenantNamespaces];
    const namespace = tenantObjects.find((o) => o.kind === 'Namespace' && o.apiVersion === 'v1')?.metadata.name;
    const queueNamespace = isRecord(admitted) ? admitted[tenantId] : undefined;
    if (missing.length === 0 && namespace !== undefined && typeof queueNamespace === 'string' && queueNamespace !== namespace) {
      problems.push(`its ClusterQueue for tenant "${tenantId}" admits namespace "${queueNamespace}", but this stack creates namespace "${namespace}"`);
    }
    if (problems.length > 0) problems.push(`the cluster's baseline is older than the spec, or was built from another spec: ${rerun}`);
  }
  if (problems.length > 0) throw new ClusterStackError(stack, problems);
  return tenantObjects;
}

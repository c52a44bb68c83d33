/**
 * The admission corpus run on one cluster of the artifacts: its ValidatingAdmissionPolicies and
 * bindings, its namespaces, and the facts the corpus is built from (a tenant namespace, its
 * LocalQueue and platform claims, a platform priority class, a dataset volume's CSI source).
 */
import { clusterOf, isRec, k8sDocs, labels, specOf, tenantNamespaces } from '../../engine/k8s';
import type { K8sDocument, RuleContext } from '../../engine/types';
import { corpus, type CorpusCase, type CorpusFacts } from './corpus';
import { decide, type ClusterPolicies } from './evaluate';
import type { Decision } from './request';
import {
  LABEL,
  MANAGER_GROUP_PREFIX,
  managerGroupName,
  MULTIKUEUE_WORKER_ROLE,
} from '../../../infra/contract';

export const POLICY_KINDS = ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'] as const;
const MANAGED = (d: K8sDocument): boolean => labels(d.object)[LABEL.managedBy] === 'genesis';
const byName = (a: K8sDocument, b: K8sDocument): number =>
  String(a.object.metadata.name).localeCompare(String(b.object.metadata.name));

export function clusterPolicies(
  ctx: RuleContext,
  cluster: string,
): ClusterPolicies & { docs: K8sDocument[] } {
  const here = (kind: string) => k8sDocs(ctx, kind).filter((d) => clusterOf(d) === cluster);
  const docs = here('ValidatingAdmissionPolicy');
  return {
    docs,
    policies: docs.map((d) => d.object),
    bindings: here('ValidatingAdmissionPolicyBinding').map((d) => d.object),
    namespaces: new Map(here('Namespace').map((d) => [String(d.object.metadata.name), d.object])),
  };
}

const FALLBACK_DATASET = {
  driver: 'efs.csi.aws.com',
  volumeHandle: 'fs-0123456789abcdef0',
  volumeAttributes: {},
  storageClass: '',
};

/** Facts of the cluster the corpus is built from; undefined when the cluster has no tenant namespace. */
export function corpusFacts(ctx: RuleContext, cluster: string): CorpusFacts | undefined {
  const inCluster = (kind: string) => k8sDocs(ctx, kind).filter((d) => clusterOf(d) === cluster);
  const claimsOf = (ns: string) =>
    inCluster('PersistentVolumeClaim')
      .filter((d) => d.object.metadata.namespace === ns && MANAGED(d))
      .map((d) => String(d.object.metadata.name))
      .sort();
  const namespaces = tenantNamespaces(ctx)
    .filter((t) => clusterOf(t.doc) === cluster)
    .map((t) => String(t.doc.object.metadata.name))
    .sort();
  if (namespaces.length === 0) return undefined;
  const namespace = namespaces.find((ns) => claimsOf(ns).length > 0) ?? namespaces[0];
  const queue = inCluster('LocalQueue')
    .filter((d) => d.object.metadata.namespace === namespace)
    .sort(byName)[0];
  const classes = inCluster('PriorityClass').filter(MANAGED).sort(byName);
  const priority = classes.find((d) => d.object.globalDefault === true) ?? classes[0];
  const pv = inCluster('PersistentVolume')
    .filter((d) => isRec(specOf(d.object).csi))
    .sort(byName)[0];
  const csi = pv ? (specOf(pv.object).csi as Record<string, unknown>) : undefined;
  const sameDriver = inCluster('StorageClass')
    .filter((d) => csi !== undefined && d.object.provisioner === csi.driver)
    .sort(byName)[0];
  return {
    namespace,
    managerGroup: managerGroupIn(inCluster('RoleBinding'), namespace),
    localQueue: queue ? String(queue.object.metadata.name) : 'default',
    claims: claimsOf(namespace),
    priorityClass: priority ? String(priority.object.metadata.name) : 'genesis-standard',
    dataset: csi
      ? {
          driver: String(csi.driver),
          volumeHandle: String(csi.volumeHandle),
          volumeAttributes: (isRec(csi.volumeAttributes) ? csi.volumeAttributes : {}) as Record<
            string,
            string
          >,
          storageClass: sameDriver ? String(sameDriver.object.metadata.name) : '',
        }
      : FALLBACK_DATASET,
  };
}

/** The federation manager's group a RoleBinding of the worker role names in `namespace`, or an example. */
function managerGroupIn(bindings: K8sDocument[], namespace: string): string {
  const groups = bindings
    .filter((d) => d.object.metadata.namespace === namespace)
    .filter((d) => isRec(d.object.roleRef) && d.object.roleRef.name === MULTIKUEUE_WORKER_ROLE)
    .flatMap((d) => (Array.isArray(d.object.subjects) ? d.object.subjects : []))
    .filter((s) => isRec(s) && s.kind === 'Group' && String(s.name).startsWith(MANAGER_GROUP_PREFIX))
    .map((s) => String((s as Record<string, unknown>).name))
    .sort();
  return groups[0] ?? managerGroupName('example');
}

export interface CaseOutcome {
  readonly case: CorpusCase;
  readonly decision: Decision;
  readonly ok: boolean;
}

/** Runs every corpus case against the given policies. */
export function runCorpus(policies: ClusterPolicies, facts: CorpusFacts): CaseOutcome[] {
  return corpus(facts).map((c) => {
    const decision = decide(policies, c.request);
    return { case: c, decision, ok: decision.allowed === (c.expect === 'admit') };
  });
}

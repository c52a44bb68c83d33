/** RBAC subjects that belong to tenants. */
import {
  clusterOf,
  intrinsicTenantOfSubject,
  k8sDocs,
  labelledTenantNamespaces,
  tenantNamespaceIndex,
  isRec,
} from './k8s';
import type { K8sDocument, RuleContext } from './types';
import { MANAGER_GROUP_PREFIX } from '../../infra/contract';

export interface Subject {
  readonly kind?: unknown;
  readonly name?: unknown;
  readonly namespace?: unknown;
}

export const subjectsOf = (d: K8sDocument): Subject[] =>
  Array.isArray(d.object.subjects) ? (d.object.subjects as unknown[]).filter(isRec) : [];

/**
 * Decides whether a subject is a tenant's: a ServiceAccount of a tenant namespace, the tenant
 * group genesis:tenant:<id>, or any user or group that a RoleBinding in a tenant namespace names
 * (the artifacts themselves say who the tenant's members are), except a federation manager's
 * group. Returns the tenant id.
 */
export function tenantSubjectResolver(ctx: RuleContext): (cluster: string, s: Subject) => string | undefined {
  const index = tenantNamespaceIndex(ctx);
  const members = new Map<string, string>();
  for (const b of k8sDocs(ctx, 'RoleBinding')) {
    const tenant = index.get(`${clusterOf(b)}|${b.object.metadata.namespace}`);
    if (!tenant) continue;
    for (const s of subjectsOf(b))
      if (
        (s.kind === 'Group' || s.kind === 'User') &&
        typeof s.name === 'string' &&
        // A federation manager's group is bound in the namespaces of every tenant it dispatches
        // to: it is nobody's member. GEN-K8S-FED-003 judges every subject of that prefix.
        !s.name.startsWith(MANAGER_GROUP_PREFIX)
      )
        members.set(`${clusterOf(b)}|${s.kind}|${s.name}`, tenant);
  }
  const labelled = labelledTenantNamespaces(ctx);
  return (cluster, s) => {
    if (s.kind === 'ServiceAccount')
      return typeof s.namespace === 'string' ? index.get(`${cluster}|${s.namespace}`) : undefined;
    if (typeof s.name !== 'string') return undefined;
    return (
      intrinsicTenantOfSubject(cluster, s, labelled) ?? members.get(`${cluster}|${String(s.kind)}|${s.name}`)
    );
  };
}

/** Rules of a Role or ClusterRole. */
export const rulesOf = (d: K8sDocument): Array<Record<string, unknown>> =>
  Array.isArray(d.object.rules) ? (d.object.rules as unknown[]).filter(isRec) : [];

export const roleRefOf = (d: K8sDocument): { kind?: unknown; name?: unknown } =>
  isRec(d.object.roleRef) ? d.object.roleRef : {};

/**
 * Built-in ClusterRoles of Kubernetes that a tenant may be given: read-only ones whose rules are
 * known (view reads most namespaced objects but not Secrets, and cannot write, bind or escalate).
 * Any other built-in (cluster-admin, admin, edit, system:*) writes RBAC, NetworkPolicies, quotas or
 * LimitRanges, or reaches beyond the namespace.
 */
export const READ_ONLY_BUILTIN_CLUSTER_ROLES: ReadonlySet<string> = new Set(['view']);
export const isPowerfulBuiltinClusterRole = (name: string): boolean =>
  ['cluster-admin', 'admin', 'edit'].includes(name) || name.startsWith('system:');

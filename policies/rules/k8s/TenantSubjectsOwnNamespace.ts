import { defineRule, k8s } from '../../engine/rule-kit';
import { clusterOf, exJob, exNamespace, intrinsicTenantOfSubject, k8sDocs, labelledTenantNamespaces, refOf, restrictedContainer } from '../../engine/k8s';
import { subjectsOf } from '../../engine/rbac';
import type { K8sObject } from '../../engine/types';

const binding = (ns: string, subject: Record<string, unknown>, role: { kind: string; name: string } = { kind: 'Role', name: 'genesis-tenant-member' }): K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'members', namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role },
  subjects: [subject],
} as K8sObject);
/** Groups that hold every tenant's users or ServiceAccounts at once. */
const EVERYONE = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts']);

const group = (tenant: string) => ({ kind: 'Group', name: `genesis:tenant:${tenant}`, apiGroup: 'rbac.authorization.k8s.io' });

export default defineRule({
  id: 'GEN-K8S-TEN-016',
  title: "Tenant subjects are bound only in their own tenant's namespace",
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'AC-6'],
  target: 'k8s',
  rationale:
    "A tenant's group (genesis:tenant:<id>) and ServiceAccounts (of namespace tenant-<id>, or system:serviceaccount:tenant-<id>:*) act for that tenant wherever they are bound. Bound in another tenant's namespace they read or write that tenant's data and workloads; bound in a namespace that is not labelled for them they get a namespace without the tenancy guardrails (Pod Security labels, default-deny, quotas), which admission policies and ClusterQueue selectors do not recognise. Groups that hold everyone (system:authenticated, system:unauthenticated, system:serviceaccounts) bound in a tenant namespace give every tenant access to it.",
  remediation: "Bind a tenant's subjects only by RoleBindings inside the declared Namespace tenant-<id> labelled genesis.platform/tenant: <id>; give another tenant access through the dataset grants, not RBAC.",
  *check(ctx) {
    const labelled = labelledTenantNamespaces(ctx);
    for (const b of k8sDocs(ctx, 'RoleBinding')) {
      const ns = b.object.metadata.namespace;
      const here = labelled.get(`${clusterOf(b)}|${String(ns)}`);
      const wrong: string[] = [];
      for (const s of subjectsOf(b)) {
        if (here !== undefined && s.kind === 'Group' && EVERYONE.has(String(s.name))) {
          wrong.push(`Group ${String(s.name)} (every tenant)`);
          continue;
        }
        const t = intrinsicTenantOfSubject(clusterOf(b), s, labelled);
        if (t === undefined) continue;
        if (here === t && ns === `tenant-${t}`) continue;
        wrong.push(`${String(s.kind)} ${s.namespace ? `${String(s.namespace)}/` : ''}${String(s.name)} (tenant ${t})`);
      }
      if (wrong.length)
        yield {
          resource: refOf(b),
          status: 'fail',
          message: `binds ${wrong.join(', ')} in namespace ${String(ns)}, ${here === undefined ? 'which is not a namespace labelled for a tenant' : `the namespace of tenant ${here}`}`,
        };
    }
  },
  examples: {
    pass: [
      k8s([exNamespace('acme'), binding('tenant-acme', group('acme'))]),
      k8s([exNamespace('acme'), binding('tenant-acme', { kind: 'ServiceAccount', name: 'workload', namespace: 'tenant-acme' })]),
      k8s([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'platform-ops' } }, binding('platform-ops', { kind: 'Group', name: 'platform-operators', apiGroup: 'rbac.authorization.k8s.io' })]),
    ],
    fail: [
      // another tenant's ServiceAccount or group in acme's namespace
      k8s([exNamespace('acme'), exNamespace('beta'), binding('tenant-acme', { kind: 'ServiceAccount', name: 'workload', namespace: 'tenant-beta' })]),
      k8s([exNamespace('acme'), exNamespace('beta'), binding('tenant-acme', group('beta'))]),
      k8s([exNamespace('acme'), binding('tenant-acme', { kind: 'User', name: 'system:serviceaccount:tenant-beta:workload', apiGroup: 'rbac.authorization.k8s.io' })]),
      // groups that hold every tenant
      k8s([exNamespace('acme'), binding('tenant-acme', { kind: 'Group', name: 'system:serviceaccounts', apiGroup: 'rbac.authorization.k8s.io' })]),
      k8s([exNamespace('acme'), binding('tenant-acme', { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' })]),
      // acme's group made admin of a namespace without tenant label or name
      k8s([
        exNamespace('acme'),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme-scratch' } },
        binding('acme-scratch', group('acme'), { kind: 'ClusterRole', name: 'admin' }),
        exJob('acme-scratch', { containers: [restrictedContainer()] }),
      ]),
    ],
  },
});

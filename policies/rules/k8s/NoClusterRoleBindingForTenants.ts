import { defineRule } from '../../engine/rule-kit';
import { clusterOf, k8sDocs, refOf } from '../../engine/k8s';
import { subjectsOf, tenantSubjectResolver } from '../../engine/rbac';
import type { K8sObject } from '../../engine/types';
import { exNamespace, k8s, tenantGroup } from '../../examples/builders';

const crb = (subjects: unknown[]): K8sObject =>
  ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'b' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects,
  }) as K8sObject;

export default defineRule({
  id: 'GEN-K8S-TEN-007',
  title: 'No ClusterRoleBinding names a tenant subject',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'AC-6', 'AC-6(10)'],
  rationale:
    "A ClusterRoleBinding grants its role in every namespace, including other tenants' and the platform's; tenants receive permissions only through RoleBindings inside their own namespace.",
  remediation:
    'Replace the ClusterRoleBinding with a RoleBinding in the tenant namespace (it may still refer to a ClusterRole).',
  *check(ctx) {
    const tenantOf = tenantSubjectResolver(ctx);
    for (const b of k8sDocs(ctx, 'ClusterRoleBinding')) {
      const hits = subjectsOf(b)
        .map((s) => ({ s, t: tenantOf(clusterOf(b), s) }))
        .filter((x) => x.t !== undefined);
      if (hits.length)
        yield {
          resource: refOf(b),
          status: 'fail',
          message: `binds ${hits.map((h) => `${String(h.s.kind)} ${String(h.s.namespace ? `${h.s.namespace}/` : '')}${String(h.s.name)} (tenant ${h.t})`).join(', ')} cluster-wide`,
        };
    }
  },
  examples: [
    {
      name: 'a ClusterRoleBinding of platform operators',
      artifacts: k8s([
        exNamespace('acme'),
        crb([{ kind: 'Group', name: 'platform-operators', apiGroup: 'rbac.authorization.k8s.io' }]),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a ClusterRoleBinding of a tenant group',
      artifacts: k8s([exNamespace('acme'), crb([tenantGroup('acme')])]),
      expect: { fires: true, message: /binds Group genesis:tenant:acme \(tenant acme\) cluster-wide/ },
    },
    {
      name: 'a ClusterRoleBinding of a tenant ServiceAccount',
      artifacts: k8s([
        exNamespace('acme'),
        crb([{ kind: 'ServiceAccount', name: 'workload', namespace: 'tenant-acme' }]),
      ]),
      expect: {
        fires: true,
        message: /binds ServiceAccount tenant-acme\/workload \(tenant acme\) cluster-wide/,
      },
    },
  ],
});

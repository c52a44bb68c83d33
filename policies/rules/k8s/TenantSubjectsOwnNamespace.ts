import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  intrinsicTenantOfSubject,
  k8sDocs,
  labelledTenantNamespaces,
  refOf,
} from '../../engine/k8s';
import { subjectsOf } from '../../engine/rbac';
import type { K8sObject } from '../../engine/types';
import {
  exJob,
  exNamespace,
  k8s,
  plainNamespace,
  restrictedContainer,
  tenantGroup,
} from '../../examples/builders';

const binding = (
  ns: string,
  subject: Record<string, unknown>,
  role: { kind: string; name: string } = { kind: 'Role', name: 'genesis-tenant-member' },
): K8sObject =>
  ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'members', namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role },
    subjects: [subject],
  }) as K8sObject;
/** Groups that hold every tenant's users or ServiceAccounts at once. */
const EVERYONE = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts']);

export default defineRule({
  id: 'GEN-K8S-TEN-016',
  title: "Tenant subjects are bound only in their own tenant's namespace",
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'AC-6'],
  rationale:
    "A tenant's group (genesis:tenant:<id>) and ServiceAccounts (of namespace tenant-<id>, or system:serviceaccount:tenant-<id>:*) act for that tenant wherever they are bound. Bound in another tenant's namespace they read or write that tenant's data and workloads; bound in a namespace that is not labelled for them they get a namespace without the tenancy guardrails (Pod Security labels, default-deny, quotas), which admission policies and ClusterQueue selectors do not recognise. Groups that hold everyone (system:authenticated, system:unauthenticated, system:serviceaccounts) bound in a tenant namespace give every tenant access to it.",
  remediation:
    "Bind a tenant's subjects only by RoleBindings inside the declared Namespace tenant-<id> labelled genesis.platform/tenant: <id>; give another tenant access through the dataset grants, not RBAC.",
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
        wrong.push(
          `${String(s.kind)} ${s.namespace ? `${String(s.namespace)}/` : ''}${String(s.name)} (tenant ${t})`,
        );
      }
      if (wrong.length)
        yield {
          resource: refOf(b),
          status: 'fail',
          message: `binds ${wrong.join(', ')} in namespace ${String(ns)}, ${here === undefined ? 'which is not a namespace labelled for a tenant' : `the namespace of tenant ${here}`}`,
        };
    }
  },
  examples: [
    {
      name: "the tenant's group in its own namespace",
      artifacts: k8s([exNamespace('acme'), binding('tenant-acme', tenantGroup('acme'))]),
      expect: { fires: false },
    },
    {
      name: "the tenant's ServiceAccount in its own namespace",
      artifacts: k8s([
        exNamespace('acme'),
        binding('tenant-acme', { kind: 'ServiceAccount', name: 'workload', namespace: 'tenant-acme' }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'platform operators in a platform namespace',
      artifacts: k8s([
        plainNamespace('platform-ops'),
        binding('platform-ops', {
          kind: 'Group',
          name: 'platform-operators',
          apiGroup: 'rbac.authorization.k8s.io',
        }),
      ]),
      expect: { fires: false },
    },
    // another tenant's ServiceAccount or group in acme's namespace
    {
      name: "another tenant's ServiceAccount in the namespace",
      artifacts: k8s([
        exNamespace('acme'),
        exNamespace('beta'),
        binding('tenant-acme', { kind: 'ServiceAccount', name: 'workload', namespace: 'tenant-beta' }),
      ]),
      expect: {
        fires: true,
        message: /binds ServiceAccount tenant-beta\/workload \(tenant beta\) in namespace tenant-acme, the/,
      },
    },
    {
      name: "another tenant's group in the namespace",
      artifacts: k8s([exNamespace('acme'), exNamespace('beta'), binding('tenant-acme', tenantGroup('beta'))]),
      expect: {
        fires: true,
        message: /binds Group genesis:tenant:beta \(tenant beta\) in namespace tenant-acme, the namespace of/,
      },
    },
    {
      name: "another tenant's ServiceAccount named as a User",
      artifacts: k8s([
        exNamespace('acme'),
        binding('tenant-acme', {
          kind: 'User',
          name: 'system:serviceaccount:tenant-beta:workload',
          apiGroup: 'rbac.authorization.k8s.io',
        }),
      ]),
      expect: {
        fires: true,
        message: /binds User system:serviceaccount:tenant-beta:workload \(tenant beta\) in namespace/,
      },
    },
    // groups that hold every tenant
    {
      name: 'the group of every ServiceAccount',
      artifacts: k8s([
        exNamespace('acme'),
        binding('tenant-acme', {
          kind: 'Group',
          name: 'system:serviceaccounts',
          apiGroup: 'rbac.authorization.k8s.io',
        }),
      ]),
      expect: {
        fires: true,
        message:
          /binds Group system:serviceaccounts \(every tenant\) in namespace tenant-acme, the namespace/,
      },
    },
    {
      name: 'the group of every authenticated user',
      artifacts: k8s([
        exNamespace('acme'),
        binding('tenant-acme', {
          kind: 'Group',
          name: 'system:authenticated',
          apiGroup: 'rbac.authorization.k8s.io',
        }),
      ]),
      expect: {
        fires: true,
        message: /binds Group system:authenticated \(every tenant\) in namespace tenant-acme, the namespace/,
      },
    },
    // acme's group made admin of a namespace without tenant label or name
    {
      name: "the tenant's group made admin of an unlabelled namespace",
      artifacts: k8s([
        exNamespace('acme'),
        plainNamespace('acme-scratch'),
        binding('acme-scratch', tenantGroup('acme'), { kind: 'ClusterRole', name: 'admin' }),
        exJob('acme-scratch', { containers: [restrictedContainer()] }),
      ]),
      expect: {
        fires: true,
        message: /binds Group genesis:tenant:acme \(tenant acme\) in namespace acme-scratch, which is not a/,
      },
    },
  ],
});

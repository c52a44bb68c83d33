import { defineRule } from '../../engine/rule-kit';
import { firstBy, stringKey } from '../../engine/memo';
import { clusterOf, k8sDocs, refOf, tenantNamespaceIndex } from '../../engine/k8s';
import {
  isPowerfulBuiltinClusterRole,
  READ_ONLY_BUILTIN_CLUSTER_ROLES,
  roleRefOf,
  rulesOf,
  subjectsOf,
  tenantSubjectResolver,
} from '../../engine/rbac';
import type { K8sDocument, K8sObject } from '../../engine/types';
import { exNamespace, k8s, tenantGroup } from '../../examples/builders';

const role = (kind: 'Role' | 'ClusterRole', rules: unknown[], ns?: string): K8sObject =>
  ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: 'member', ...(ns ? { namespace: ns } : {}) },
    rules,
  }) as K8sObject;
const binding = (
  roleKind: string,
  roleName = 'member',
  subject: Record<string, unknown> = tenantGroup('acme'),
): K8sObject =>
  ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'members', namespace: 'tenant-acme' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
    subjects: [subject],
  }) as K8sObject;

/** Resources that hold a tenant's guardrails (or its permissions): tenants read them, never write them. */
const GUARDRAILS: Record<string, readonly string[]> = {
  'rbac.authorization.k8s.io': ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
  'networking.k8s.io': ['networkpolicies'],
  '': ['resourcequotas', 'limitranges', 'namespaces'],
  'kueue.x-k8s.io': ['localqueues', 'clusterqueues', 'resourceflavors', 'cohorts'],
  'admissionregistration.k8s.io': [
    'validatingadmissionpolicies',
    'validatingadmissionpolicybindings',
    'validatingwebhookconfigurations',
    'mutatingwebhookconfigurations',
  ],
  'cilium.io': ['ciliumnetworkpolicies', 'ciliumclusterwidenetworkpolicies'],
  'policy.networking.k8s.io': [
    'adminnetworkpolicies',
    'baselineadminnetworkpolicies',
    'clusternetworkpolicies',
  ],
};
const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const ESCALATING = new Set(['escalate', 'bind', 'impersonate']);

const wildcards = (d: K8sDocument): string[] => {
  const out: string[] = [];
  for (const r of rulesOf(d)) {
    for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
      if (Array.isArray(r[field]) && (r[field] as unknown[]).includes('*')) out.push(`${field} "*"`);
    }
    const verbs = Array.isArray(r.verbs) ? r.verbs.map(String) : [];
    const groups = Array.isArray(r.apiGroups) ? r.apiGroups.map(String) : [];
    const resources = Array.isArray(r.resources) ? r.resources.map(String) : [];
    const esc = verbs.filter((v) => ESCALATING.has(v));
    if (esc.length) out.push(`verbs ${esc.join(', ')}`);
    const writes = verbs.filter((v) => WRITES.has(v));
    if (writes.length)
      for (const g of groups)
        for (const res of resources.filter((x) => (GUARDRAILS[g] ?? []).includes(x.split('/')[0])))
          out.push(`${writes.join(', ')} on ${g ? `${g}/` : ''}${res}`);
  }
  return [...new Set(out)];
};

const roleKey = (cluster: string, kind: unknown, name: unknown, ns: unknown): string | undefined =>
  kind === 'ClusterRole' ? stringKey(cluster, kind, name) : stringKey(cluster, kind, name, ns);

export default defineRule({
  id: 'GEN-K8S-TEN-008',
  title:
    'Roles bound to tenants name their verbs, resources and API groups, and cannot rewrite their guardrails',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'AC-6(1)', 'AC-3'],
  rationale:
    "Escalate, bind and impersonate, or any write on Roles, RoleBindings, NetworkPolicies, ResourceQuotas, LimitRanges, Namespaces, Kueue queues or admission policies, lets a tenant lift its own guardrails (delete its default-deny, raise its quota, bind itself a stronger role). A wildcard verb or resource grants escalate, bind and impersonate and every future resource type (including the namespace's NetworkPolicies and quotas), letting a tenant undo its own guardrails. The built-in admin and edit ClusterRoles (and cluster-admin, and system:*) do the same without a wildcard in the manifests: admin writes RoleBindings, NetworkPolicies, ResourceQuotas and LimitRanges of the namespace. A ClusterRole the manifests do not define cannot be reviewed at all. Only the read-only built-in view, whose rules are known (no Secrets, no writes), is accepted without a definition.",
  remediation:
    'List the verbs and resources the tenant needs in a Role of the tenant namespace, with read-only access to RBAC, NetworkPolicies, quotas, LimitRanges and queues and no escalate, bind or impersonate; do not use "*" in verbs, resources or apiGroups of roles bound to tenant subjects or defined in tenant namespaces; do not bind tenants to the built-in cluster-admin, admin, edit or system:* ClusterRoles, nor to a ClusterRole the manifests do not define (the read-only built-in view is accepted).',
  *check(ctx) {
    const tenantOf = tenantSubjectResolver(ctx);
    const index = tenantNamespaceIndex(ctx);
    const roles = k8sDocs(ctx, ['Role', 'ClusterRole']);
    // the first role of each cluster, kind, name (and namespace, for a Role), as a search finds it
    const byKey = firstBy(roles, (r) =>
      roleKey(clusterOf(r), r.object.kind, r.object.metadata.name, r.object.metadata.namespace),
    );
    const flagged = new Set<K8sDocument>();
    for (const r of roles)
      if (
        r.object.kind === 'Role' &&
        index.has(`${clusterOf(r)}|${r.object.metadata.namespace}`) &&
        wildcards(r).length
      )
        flagged.add(r);
    for (const b of k8sDocs(ctx, ['RoleBinding', 'ClusterRoleBinding'])) {
      if (!subjectsOf(b).some((s) => tenantOf(clusterOf(b), s) !== undefined)) continue;
      const ref = roleRefOf(b);
      if (
        ref.kind === 'ClusterRole' &&
        typeof ref.name === 'string' &&
        isPowerfulBuiltinClusterRole(ref.name)
      ) {
        yield {
          resource: refOf(b),
          status: 'fail',
          message: `binds tenant subjects to the built-in ClusterRole ${ref.name}, which writes the namespace's guardrails (NetworkPolicies; admin also RoleBindings, quotas, LimitRanges) or reaches beyond it`,
        };
        continue;
      }
      const matches = (r: K8sDocument) =>
        clusterOf(r) === clusterOf(b) &&
        r.object.kind === ref.kind &&
        r.object.metadata.name === ref.name &&
        (ref.kind === 'ClusterRole' || r.object.metadata.namespace === b.object.metadata.namespace);
      const key = roleKey(clusterOf(b), ref.kind, ref.name, b.object.metadata.namespace);
      const target = key !== undefined ? byKey.get(key) : roles.find(matches);
      if (target && wildcards(target).length) flagged.add(target);
      else if (
        !target &&
        ref.kind === 'ClusterRole' &&
        !READ_ONLY_BUILTIN_CLUSTER_ROLES.has(String(ref.name))
      )
        yield {
          resource: refOf(b),
          status: 'fail',
          message: `binds tenant subjects to ClusterRole ${String(ref.name)}, which the manifests do not define: its rules cannot be reviewed`,
        };
      else if (!target && ref.kind === 'Role')
        yield {
          resource: refOf(b),
          status: 'unknown',
          message: `binds tenant subjects to Role ${String(ref.name)}, which the manifests do not define in namespace ${String(b.object.metadata.namespace)}`,
        };
    }
    for (const r of flagged)
      yield {
        resource: refOf(r),
        status: 'fail',
        message: `${r.object.kind} granted to tenants allows ${wildcards(r).join('; ')}`,
      };
  },
  examples: [
    {
      name: 'a Role of named verbs on pods',
      artifacts: k8s([
        exNamespace('acme'),
        role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }], 'tenant-acme'),
        binding('Role'),
      ]),
      expect: { fires: false },
    },
    {
      name: 'the built-in view ClusterRole',
      artifacts: k8s([exNamespace('acme'), binding('ClusterRole', 'view')]),
      expect: { fires: false },
    },
    {
      name: 'verbs "*" on pods',
      artifacts: k8s([
        exNamespace('acme'),
        role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }], 'tenant-acme'),
        binding('Role'),
      ]),
      expect: { fires: true, message: /Role granted to tenants allows verbs "\*"/ },
    },
    {
      name: 'every resource of every API group',
      artifacts: k8s([
        exNamespace('acme'),
        role('ClusterRole', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }]),
        binding('ClusterRole'),
      ]),
      expect: {
        fires: true,
        message: /ClusterRole granted to tenants allows resources "\*"; apiGroups "\*"/,
      },
    },
    {
      name: 'create and bind of RoleBindings',
      artifacts: k8s([
        exNamespace('acme'),
        role(
          'Role',
          [
            {
              apiGroups: ['rbac.authorization.k8s.io'],
              resources: ['rolebindings'],
              verbs: ['create', 'bind'],
            },
          ],
          'tenant-acme',
        ),
        binding('Role'),
      ]),
      expect: { fires: true, message: /Role granted to tenants allows verbs bind; create on/ },
    },
    {
      name: 'delete of NetworkPolicies',
      artifacts: k8s([
        exNamespace('acme'),
        role(
          'Role',
          [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] }],
          'tenant-acme',
        ),
        binding('Role'),
      ]),
      expect: {
        fires: true,
        message: /Role granted to tenants allows delete on networking\.k8s\.io\/networkpolicies/,
      },
    },
    {
      name: 'impersonate of ServiceAccounts',
      artifacts: k8s([
        exNamespace('acme'),
        role(
          'Role',
          [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }],
          'tenant-acme',
        ),
        binding('Role'),
      ]),
      expect: { fires: true, message: /Role granted to tenants allows verbs impersonate/ },
    },
    {
      name: 'the built-in cluster-admin',
      artifacts: k8s([exNamespace('acme'), binding('ClusterRole', 'cluster-admin')]),
      expect: {
        fires: true,
        message: /binds tenant subjects to the built-in ClusterRole cluster-admin, which writes the/,
      },
    },
    {
      name: 'the built-in admin bound to a tenant ServiceAccount',
      artifacts: k8s([
        exNamespace('acme'),
        binding('ClusterRole', 'admin', {
          kind: 'ServiceAccount',
          name: 'workload',
          namespace: 'tenant-acme',
        }),
      ]),
      expect: {
        fires: true,
        message: /binds tenant subjects to the built-in ClusterRole admin, which writes the namespace's/,
      },
    },
    {
      name: 'the built-in edit',
      artifacts: k8s([exNamespace('acme'), binding('ClusterRole', 'edit')]),
      expect: {
        fires: true,
        message: /binds tenant subjects to the built-in ClusterRole edit, which writes the namespace's/,
      },
    },
    {
      name: 'a built-in system: ClusterRole',
      artifacts: k8s([exNamespace('acme'), binding('ClusterRole', 'system:controller:namespace-controller')]),
      expect: {
        fires: true,
        message: /binds tenant subjects to the built-in ClusterRole system:controller:namespace-controller,/,
      },
    },
    // a ClusterRole bound but defined nowhere in the manifests
    {
      name: 'a ClusterRole no manifest defines',
      artifacts: k8s([exNamespace('acme'), binding('ClusterRole', 'tenant-helper')]),
      expect: {
        fires: true,
        message: /binds tenant subjects to ClusterRole tenant-helper, which the manifests do not define:/,
      },
    },
    // a powerful built-in stays powerful even if the manifests carry a harmless-looking definition of it
    {
      name: 'a harmless-looking definition of the built-in admin',
      artifacts: k8s(
        [
          exNamespace('acme'),
          role('ClusterRole', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
          binding('ClusterRole', 'admin'),
        ].map((o) => (o.kind === 'ClusterRole' ? { ...o, metadata: { name: 'admin' } } : o)),
      ),
      expect: {
        fires: true,
        message: /binds tenant subjects to the built-in ClusterRole admin, which writes the namespace's/,
      },
    },
  ],
});

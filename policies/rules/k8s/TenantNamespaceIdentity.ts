import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  k8sDocs,
  labels,
  refOf,
  TENANT_LABEL,
  tenantOfNamespaceName,
  tenantUsedNamespaces,
} from '../../engine/k8s';
import { exLocalQueue, exNamespace, k8s, plainNamespace, tenantGroup } from '../../examples/builders';

export default defineRule({
  id: 'GEN-K8S-TEN-014',
  title: 'Tenant namespaces are declared, named tenant-<id> and labelled with that tenant',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'CM-8'],
  rationale:
    'Admission policies, ClusterQueue selectors and network guardrails select tenant namespaces by the genesis.platform/tenant label and the tenant-<id> name; a namespace whose label is missing or names another tenant slips out of them, and objects in a tenant namespace the manifests do not declare run under Pod Security labels, quotas and policies nobody reviewed.',
  remediation:
    'Declare the Namespace tenant-<id> with label genesis.platform/tenant: <id> on every cluster where the tenant has objects; keep tenant subjects and tenant LocalQueues out of other namespaces.',
  *check(ctx) {
    const declared = new Set<string>();
    const used = tenantUsedNamespaces(ctx);
    for (const d of k8sDocs(ctx, 'Namespace')) {
      const usedBy = used.get(`${clusterOf(d)}|${d.object.metadata.name}`);
      declared.add(`${clusterOf(d)}|${d.object.metadata.name}`);
      const label = labels(d.object)[TENANT_LABEL];
      const byName = tenantOfNamespaceName(d.object.metadata.name);
      if (byName !== undefined && label === undefined)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `namespace of tenant ${byName} has no ${TENANT_LABEL} label`,
        };
      else if (label !== undefined && byName !== label)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `namespace labelled for tenant ${label} is not named tenant-${label}`,
        };
      else if (label === undefined && byName === undefined && usedBy !== undefined)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `namespace is used by tenant ${usedBy} (its subjects are bound or its queue is used there) but is neither named tenant-${usedBy} nor labelled for it`,
        };
    }
    const reported = new Set<string>();
    for (const d of ctx.artifacts.k8s?.documents ?? []) {
      const ns = d.object.metadata.namespace;
      const key = `${clusterOf(d)}|${ns}`;
      if (tenantOfNamespaceName(ns) === undefined || declared.has(key) || reported.has(key)) continue;
      reported.add(key);
      yield {
        resource: refOf(d),
        status: 'fail',
        message: `namespace ${String(ns)} is not declared on cluster ${clusterOf(d)}`,
      };
    }
  },
  examples: [
    {
      name: 'a declared, named and labelled tenant namespace',
      artifacts: k8s([
        exNamespace('acme'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'tenant-acme' } },
      ]),
      expect: { fires: false },
    },
    {
      name: 'a tenant namespace without tenant label',
      artifacts: k8s([plainNamespace('tenant-acme')]),
      expect: { fires: true, message: /namespace of tenant acme has no genesis\.platform\/tenant label/ },
    },
    {
      name: 'a labelled namespace not named tenant-<id>',
      artifacts: k8s([
        { ...exNamespace('acme'), metadata: { name: 'team-acme', labels: { [TENANT_LABEL]: 'acme' } } },
      ]),
      expect: { fires: true, message: /namespace labelled for tenant acme is not named tenant-acme/ },
    },
    {
      name: 'an object in a tenant namespace that is not declared',
      artifacts: k8s([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'tenant-acme' } },
      ]),
      expect: { fires: true, message: /namespace tenant-acme is not declared on cluster site-a\/cluster-a/ },
    },
    // a namespace the tenant's group is bound in, without its name or label
    {
      name: "a namespace the tenant's group is bound in, neither named nor labelled",
      artifacts: k8s([
        exNamespace('acme'),
        plainNamespace('acme-scratch'),
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'm', namespace: 'acme-scratch' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
          subjects: [tenantGroup('acme')],
        },
      ]),
      expect: {
        fires: true,
        message: /namespace is used by tenant acme \(its subjects are bound or its queue is used there\) but/,
      },
    },
    // a namespace that feeds the tenant's ClusterQueue
    {
      name: "a namespace that feeds the tenant's ClusterQueue, neither named nor labelled",
      artifacts: k8s([
        exNamespace('acme'),
        plainNamespace('acme-batch'),
        exLocalQueue('acme-batch', 'tenant-acme'),
      ]),
      expect: {
        fires: true,
        message: /namespace is used by tenant acme \(its subjects are bound or its queue is used there\) but/,
      },
    },
  ],
});

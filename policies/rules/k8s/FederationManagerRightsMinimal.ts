import { LABEL, MANAGER_GROUP_PREFIX } from '../../../infra/contract';
import { federatedQueues } from '../../analysis/federation/graph';
import { rbacGrants } from '../../analysis/access/rbac';
import { beyondMultiKueue } from '../../analysis/federation/rights';
import { labels, refOf, tenantNamespaceIndex } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { RuleContext } from '../../engine/types';
import { exFederation } from '../../examples/federation';

/** `<worker key>|<tenant>|<federation>` for every tenant a federation dispatches to a worker. */
function dispatched(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const q of federatedQueues(ctx))
    for (const c of q.checks)
      for (const d of c.dispatches) {
        const fed = d.doc ? labels(d.doc.object)[LABEL.federation] : undefined;
        if (d.workerKey && fed) for (const t of q.tenants) out.add(`${d.workerKey}|${t}|${fed}`);
      }
  return out;
}

export default defineRule({
  id: 'GEN-K8S-FED-003',
  title:
    "A federation manager's rights on a worker stay within tenant namespaces it dispatches to, and within what MultiKueue needs",
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'AC-3', 'AC-20'],
  rationale:
    "The manager's credentials sit in a Secret on another cluster, often in another organisation's trust boundary. Bound cluster-wide, to more than mirroring workloads, or in namespaces of tenants it never dispatches there, they would let whoever holds the manager act as any tenant on the worker.",
  remediation:
    'Bind the manager group only through RoleBindings in the namespaces of the tenants the federation dispatches to this worker, to a role with the MultiKueue rules (jobs, workloads and their status); never a ClusterRoleBinding.',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    const allowed = dispatched(ctx);
    for (const g of rbacGrants(ctx)) {
      const name = typeof g.subject.name === 'string' ? g.subject.name : '';
      if (!name.startsWith(MANAGER_GROUP_PREFIX)) continue;
      const fed = name.slice(MANAGER_GROUP_PREFIX.length);
      const at = refOf(g.doc);
      if (g.namespace === undefined) {
        yield { resource: at, status: 'fail', message: `binds federation manager ${name} cluster-wide` };
        continue;
      }
      if (g.unknownRole) {
        yield {
          resource: at,
          status: 'fail',
          message: `binds ${name} to ${g.unknownRole}, which the output does not hold`,
        };
        continue;
      }
      const tenant = index.get(`${g.cluster}|${g.namespace}`);
      if (!tenant || !allowed.has(`${g.cluster}|${tenant}|${fed}`))
        yield {
          resource: at,
          status: 'fail',
          message: `binds ${name} in namespace ${g.namespace}${tenant ? ` of tenant ${tenant}` : ''}, whose work federation ${fed} does not dispatch to this cluster`,
        };
      const beyond = beyondMultiKueue(g.rules);
      if (beyond.length)
        yield {
          resource: at,
          status: 'fail',
          message: `gives ${name} more than MultiKueue needs in ${g.namespace}: ${beyond.slice(0, 6).join(', ')}${beyond.length > 6 ? ', ...' : ''}`,
        };
    }
  },
  examples: [
    {
      name: "the manager's group bound in the one tenant namespace it dispatches to",
      artifacts: exFederation({ workers: { w1: 'cui' } }),
      expect: { fires: false },
    },
    {
      name: "the manager's group bound cluster-wide",
      artifacts: exFederation({
        workers: { w1: 'cui' },
        workerObjects: () => [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'multikueue-f-everywhere' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'ClusterRole',
              name: 'genesis-multikueue-worker',
            },
            subjects: [
              { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${MANAGER_GROUP_PREFIX}f` },
            ],
          },
        ],
      }),
      expect: { fires: true, message: /binds federation manager genesis:multikueue:f cluster-wide/ },
    },
    {
      name: "the manager's group bound in another tenant's namespace",
      artifacts: exFederation({
        workers: { w1: 'cui' },
        workerObjects: () => [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'multikueue-f', namespace: 'tenant-b' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'ClusterRole',
              name: 'genesis-multikueue-worker',
            },
            subjects: [
              { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${MANAGER_GROUP_PREFIX}f` },
            ],
          },
        ],
      }),
      expect: {
        fires: true,
        message: /in namespace tenant-b of tenant b, whose work federation f does not dispatch/,
      },
    },
    {
      name: "the manager's group bound to the built-in edit role in its tenant's namespace",
      artifacts: exFederation({
        workers: { w1: 'cui' },
        workerObjects: () => [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'multikueue-f-more', namespace: 'tenant-a' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
            subjects: [
              { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${MANAGER_GROUP_PREFIX}f` },
            ],
          },
        ],
      }),
      expect: {
        fires: true,
        message: /gives genesis:multikueue:f more than MultiKueue needs in tenant-a: create apps\/cronjobs, /,
      },
    },
  ],
});

import { LABEL, MANAGER_GROUP_PREFIX } from '../../../infra/contract';
import { federatedQueues, federationWorkers } from '../../analysis/federation/graph';
import { rbacGrants } from '../../analysis/access/rbac';
import { beyondMultiKueue, beyondMultiKueueWatch } from '../../analysis/federation/rights';
import { labels, refOf, tenantNamespaceIndex } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sObject, RuleContext } from '../../engine/types';
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

/** A cluster-wide binding of the manager group of `f` to a role with `verbs` on Jobs and Workloads. */
const watchRole = (verbs: string[]): K8sObject[] => [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'watch' },
    rules: [
      { apiGroups: ['batch'], resources: ['jobs'], verbs },
      { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads'], verbs },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'multikueue-f-watch' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'watch' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${MANAGER_GROUP_PREFIX}f` }],
  },
];

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
    "Bind the manager group through RoleBindings in the namespaces of the tenants the federation dispatches to this worker, to a role with MultiKueue's rules (jobs, workloads and their status), and cluster-wide only to list and watch of those kinds on its own workers.",
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    const allowed = dispatched(ctx);
    const workers = federationWorkers(ctx);
    for (const g of rbacGrants(ctx)) {
      const name = typeof g.subject.name === 'string' ? g.subject.name : '';
      if (!name.startsWith(MANAGER_GROUP_PREFIX)) continue;
      const fed = name.slice(MANAGER_GROUP_PREFIX.length);
      const at = refOf(g.doc);
      if (g.namespace === undefined) {
        const beyond = g.unknownRole ? [g.unknownRole] : beyondMultiKueueWatch(g.rules);
        if (beyond.length)
          yield {
            resource: at,
            status: 'fail',
            message: `binds federation manager ${name} cluster-wide to more than MultiKueue's list and watch: ${beyond.slice(0, 6).join(', ')}`,
          };
        else if (!workers.has(`${g.cluster}|${fed}`))
          yield {
            resource: at,
            status: 'fail',
            message: `binds federation manager ${name} cluster-wide on a cluster that is not a worker of federation ${fed}`,
          };
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
      expect: {
        fires: true,
        message:
          /binds federation manager genesis:multikueue:f cluster-wide to more than MultiKueue's list and watch: create batch\/jobs/,
      },
    },
    {
      name: "the manager's group bound cluster-wide to list and watch of the mirrored kinds, on its worker",
      artifacts: exFederation({ workers: { w1: 'cui' }, workerObjects: () => watchRole(['list', 'watch']) }),
      expect: { fires: false },
    },
    {
      name: "the manager's group bound cluster-wide to get, which reads any object by name",
      artifacts: exFederation({
        workers: { w1: 'cui' },
        workerObjects: () => watchRole(['get', 'list', 'watch']),
      }),
      expect: { fires: true, message: /more than MultiKueue's list and watch: get batch\/jobs/ },
    },
    {
      name: "the manager's group bound cluster-wide to list and watch on a cluster it does not dispatch to",
      artifacts: (() => {
        const a = exFederation({ workers: { w1: 'cui' } });
        return { ...a, k8s: { ...a.k8s, 'site-x/other/cluster.yaml': watchRole(['list', 'watch']) } };
      })(),
      expect: { fires: true, message: /cluster-wide on a cluster that is not a worker of federation f/ },
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

import { exNamespace, k8s } from '../../examples/builders';
import { PRIORITY_LEVELS } from '../../../infra/contract/priorities';
import {
  clusterOf,
  inNamespace,
  isRec,
  parseQuantity,
  refOf,
  specOf,
  tenantNamespaces,
} from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sObject } from '../../engine/types';

const PLATFORM = new Set(PRIORITY_LEVELS.map((l) => l.name));

/** The classes a quota leaves usable: those its `PriorityClass NotIn [...]` / `pods: 0` scope does not count. */
function allowedBy(o: K8sObject): string[] | undefined {
  const s = specOf(o);
  const hard = isRec(s.hard) ? s.hard : {};
  if (parseQuantity(hard.pods) !== 0 || (Array.isArray(s.scopes) && s.scopes.length > 0)) return undefined;
  const exprs =
    isRec(s.scopeSelector) && Array.isArray(s.scopeSelector.matchExpressions)
      ? s.scopeSelector.matchExpressions
      : [];
  if (
    exprs.length !== 1 ||
    !isRec(exprs[0]) ||
    exprs[0].scopeName !== 'PriorityClass' ||
    exprs[0].operator !== 'NotIn'
  )
    return undefined;
  return Array.isArray(exprs[0].values) ? exprs[0].values.map(String) : [];
}

const quota = (values: string[]): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'genesis-priority-classes', namespace: 'tenant-acme' },
  spec: {
    hard: { pods: 0 },
    scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'NotIn', values }] },
  },
});

export default defineRule({
  id: 'GEN-K8S-SCH-002',
  title: "Tenant namespaces may run pods only at the platform's priority classes",
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'AC-6'],
  rationale:
    "A pod's PriorityClass decides whom the scheduler preempts: a tenant pod at system-node-critical or at a class of its own choosing evicts other tenants' work and the platform's. A ResourceQuota with `pods: 0` for every class NotIn the platform's list (with an admission policy, GEN-K8S-ADM-001) keeps tenants to the platform's classes; the list may name only the platform's classes, never system-*.",
  remediation:
    "Give every tenant namespace the quota genesis-priority-classes (pods: 0 for PriorityClass NotIn the platform's classes) and list only genesis-low, genesis-standard and genesis-high.",
  *check(ctx) {
    for (const { doc } of tenantNamespaces(ctx)) {
      const here = inNamespace(ctx, 'ResourceQuota', clusterOf(doc), doc.object.metadata.name);
      const lists = here
        .map((q) => ({ q, allowed: allowedBy(q.object) }))
        .filter((x) => x.allowed !== undefined);
      if (lists.length === 0) {
        yield {
          resource: refOf(doc),
          status: 'fail',
          message: `no ResourceQuota limits ${String(doc.object.metadata.name)} to the platform's priority classes (pods: 0 for PriorityClass NotIn [${[...PLATFORM].join(', ')}])`,
        };
        continue;
      }
      // Several such quotas: a class is usable only if every one leaves it out of its count.
      const usable = lists.map((x) => x.allowed as string[]).reduce((a, b) => a.filter((c) => b.includes(c)));
      const foreign = usable.filter((c) => !PLATFORM.has(c));
      if (foreign.length) {
        const q =
          lists.find((x) => (x.allowed as string[]).some((c) => foreign.includes(c)))?.q ?? lists[0].q;
        yield {
          resource: refOf(q),
          status: 'fail',
          message: `lets tenant pods run at ${foreign.join(', ')}, not a platform priority class${foreign.some((c) => c.startsWith('system-')) ? ' (system classes preempt everything)' : ''}`,
        };
      }
    }
  },
  examples: [
    {
      name: "the platform's three classes",
      artifacts: k8s([exNamespace('acme'), quota(['genesis-low', 'genesis-standard', 'genesis-high'])]),
      expect: { fires: false },
    },
    {
      name: 'system-node-critical added to the list',
      artifacts: k8s([exNamespace('acme'), quota(['genesis-low', 'system-node-critical'])]),
      expect: { fires: true, message: /system-node-critical.*system classes/ },
    },
    {
      name: 'no priority quota at all',
      artifacts: k8s([exNamespace('acme')]),
      expect: { fires: true, message: /no ResourceQuota limits tenant-acme/ },
    },
  ],
});

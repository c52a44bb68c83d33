import { defineRule } from '../../engine/rule-kit';
import { isRec, refOf, specOf } from '../../engine/k8s';
import { clusterQueues } from '../../engine/kueue';
import type { K8sObject } from '../../engine/types';
import { exClusterQueue, k8s } from '../../examples/builders';

const inCohort = (q: K8sObject, borrow?: number): K8sObject => {
  const groups = (
    specOf(q).resourceGroups as Array<{ flavors: Array<{ resources: Array<Record<string, unknown>> }> }>
  ).map((g) => ({
    ...g,
    flavors: g.flavors.map((f) => ({
      ...f,
      resources: f.resources.map((r) => (borrow === undefined ? r : { ...r, borrowingLimit: borrow })),
    })),
  }));
  return { ...q, spec: { ...specOf(q), cohortName: 'genesis', resourceGroups: groups } };
};

export default defineRule({
  id: 'GEN-K8S-CAP-006',
  title: 'ClusterQueues in a cohort limit what they borrow',
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'AC-3'],
  rationale:
    "Without a borrowingLimit a ClusterQueue may borrow every idle GPU of its cohort: one tenant's burst takes other tenants' lent capacity, and the namespace's ResourceQuota (nominal plus borrowing limit, GEN-K8S-CAP-002) no longer says what the tenant can hold.",
  remediation:
    'Set borrowingLimit on every resource of every flavor of a ClusterQueue that has a cohortName (0 to forbid borrowing).',
  *check(ctx) {
    for (const q of clusterQueues(ctx)) {
      const cohort = specOf(q.object).cohortName;
      if (typeof cohort !== 'string' || cohort === '') continue;
      const unlimited: string[] = [];
      for (const g of Array.isArray(specOf(q.object).resourceGroups)
        ? (specOf(q.object).resourceGroups as unknown[])
        : [])
        for (const f of isRec(g) && Array.isArray(g.flavors) ? g.flavors : [])
          for (const r of isRec(f) && Array.isArray(f.resources) ? f.resources : [])
            if (isRec(r) && (r.borrowingLimit === undefined || r.borrowingLimit === null))
              unlimited.push(`${String(f.name)}/${String(r.name)}`);
      if (unlimited.length)
        yield {
          resource: refOf(q),
          status: 'fail',
          message: `borrows without limit from cohort ${cohort}: ${unlimited.join(', ')}`,
        };
    }
  },
  examples: [
    {
      name: 'a queue in a cohort with a borrowing limit',
      artifacts: k8s([inCohort(exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } }), 4)]),
      expect: { fires: false },
    },
    {
      name: 'a queue in no cohort',
      artifacts: k8s([exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } })]),
      expect: { fires: false },
    },
    {
      name: 'a queue in a cohort without a borrowing limit',
      artifacts: k8s([inCohort(exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } }))]),
      expect: { fires: true, message: /borrows without limit from cohort genesis: h100\/nvidia\.com\/gpu/ },
    },
  ],
});

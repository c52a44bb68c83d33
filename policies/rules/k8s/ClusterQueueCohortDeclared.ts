import { defineRule } from '../../engine/rule-kit';
import { clusterOf, k8sDocs, refOf, specOf } from '../../engine/k8s';
import { clusterQueues } from '../../engine/kueue';
import type { K8sObject } from '../../engine/types';
import { exClusterQueue, k8s } from '../../examples/builders';

const cohort = (name: string): K8sObject => ({
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'Cohort',
  metadata: { name },
  spec: { fairSharing: { weight: '1' } },
});
const inCohort = (q: K8sObject, name: string): K8sObject => ({
  ...q,
  spec: { ...specOf(q), cohortName: name },
});
const queue = exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } });

export default defineRule({
  id: 'GEN-K8S-CAP-007',
  title: "ClusterQueues join a Cohort their cluster's manifests declare",
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'CM-6'],
  rationale:
    "Kueue creates a cohort implicitly for any name a ClusterQueue gives, without its fair-sharing weight: a queue moved to a cohort of its own stops lending its idle GPUs to the platform's cohort, and queues that share an undeclared name borrow from each other outside the reviewed fair-sharing settings.",
  remediation:
    'Set spec.cohortName to the Cohort the cluster manifest declares (genesis), or declare the Cohort with its fair-sharing settings.',
  *check(ctx) {
    const declared = new Set(k8sDocs(ctx, 'Cohort').map((d) => `${clusterOf(d)}|${d.object.metadata.name}`));
    for (const q of clusterQueues(ctx)) {
      const name = specOf(q.object).cohortName;
      if (typeof name !== 'string' || name === '') continue;
      if (!declared.has(`${clusterOf(q)}|${name}`))
        yield {
          resource: refOf(q),
          status: 'fail',
          message: `joins cohort ${name}, which the manifests of cluster ${clusterOf(q)} do not declare`,
        };
    }
  },
  examples: [
    {
      name: 'a queue in a cohort the cluster declares',
      artifacts: k8s([cohort('genesis'), inCohort(queue, 'genesis')]),
      expect: { fires: false },
    },
    { name: 'a queue in no cohort', artifacts: k8s([queue]), expect: { fires: false } },
    {
      name: 'a queue in a cohort other than the declared one',
      artifacts: k8s([cohort('genesis'), inCohort(queue, 'other')]),
      expect: {
        fires: true,
        message: /joins cohort other, which the manifests of cluster site-a\/cluster-a do not declare/,
      },
    },
    {
      name: 'a queue in a cohort that no manifest declares',
      artifacts: k8s([inCohort(queue, 'genesis')]),
      expect: {
        fires: true,
        message: /joins cohort genesis, which the manifests of cluster site-a\/cluster-a do not declare/,
      },
    },
  ],
});

import { defineRule } from '../../engine/rule-kit';
import { clusterOf, k8sDocs, refOf } from '../../engine/k8s';
import { clusterQueues, queueQuotas } from '../../engine/kueue';
import { exClusterQueue, exFlavor, k8s } from '../../examples/builders';

export default defineRule({
  id: 'GEN-K8S-CAP-003',
  title: 'ClusterQueues refer only to ResourceFlavors of their cluster',
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['CM-6', 'SC-6'],
  rationale:
    'A quota on a flavor that does not exist is capacity promised on nodes that are not there: Kueue marks the queue inactive and admits nothing from it.',
  remediation: 'Name only ResourceFlavors declared for the cluster (one per node pool).',
  *check(ctx) {
    for (const q of clusterQueues(ctx)) {
      const names = new Set(
        k8sDocs(ctx, 'ResourceFlavor')
          .filter((f) => clusterOf(f) === clusterOf(q))
          .map((f) => f.object.metadata.name),
      );
      const missing = [...new Set(queueQuotas(q).map((x) => x.flavor))].filter((f) => !names.has(f)).sort();
      if (missing.length)
        yield {
          resource: refOf(q),
          status: 'fail',
          message: `ResourceFlavor ${missing.join(', ')} does not exist on the cluster`,
        };
    }
  },
  examples: [
    {
      name: 'a queue of an existing flavor',
      artifacts: k8s([exFlavor('h100'), exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } })]),
      expect: { fires: false },
    },
    {
      name: 'a queue of a flavor the cluster does not declare',
      artifacts: k8s([exFlavor('h100'), exClusterQueue('a', { h200: { 'nvidia.com/gpu': 8 } })]),
      expect: { fires: true, message: /ResourceFlavor h200 does not exist on the cluster/ },
    },
  ],
});

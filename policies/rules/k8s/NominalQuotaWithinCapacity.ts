import { defineRule, k8s } from '../../engine/rule-kit';
import { clusterOf, k8sDocs, isGpuResource, refOf } from '../../engine/k8s';
import { CAPACITY_ANNOTATION, clusterQueues, exClusterQueue, exFlavor, flavorCapacity, queueQuotas } from '../../engine/kueue';

export default defineRule({
  id: 'GEN-K8S-CAP-001',
  title: 'Nominal quotas of all ClusterQueues fit the capacity of each ResourceFlavor',
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'CP-2(2)', 'PM-3'],
  target: 'k8s',
  rationale:
    'Kueue does not see real capacity: a nominal quota is a promise. If the quotas of all tenants on one flavor add up to more than the GPUs that flavor\'s nodes hold, guaranteed work waits behind workloads the platform promised elsewhere. The capacity is read from the flavor\'s ' +
    CAPACITY_ANNOTATION +
    ' annotation; without it the rule cannot decide.',
  remediation: `Lower the tenants' nominal quotas or add nodes; keep the ${CAPACITY_ANNOTATION} annotation of the ResourceFlavor equal to what its node pool guarantees.`,
  *check(ctx) {
    for (const f of k8sDocs(ctx, 'ResourceFlavor')) {
      const quotas = clusterQueues(ctx, clusterOf(f)).flatMap(queueQuotas).filter((q) => q.flavor === f.object.metadata.name);
      if (quotas.length === 0) continue;
      const capacity = flavorCapacity(f.object);
      if (capacity === undefined || typeof capacity === 'string') {
        yield { resource: refOf(f), status: 'unknown', message: capacity ?? `could not decide: the flavor has no ${CAPACITY_ANNOTATION} annotation recording its capacity` };
        continue;
      }
      const sums = new Map<string, number>();
      for (const q of quotas) sums.set(q.resource, (sums.get(q.resource) ?? 0) + q.nominal);
      for (const [resource, sum] of [...sums].sort()) {
        const cap = capacity.get(resource);
        if (cap === undefined) {
          if (isGpuResource(resource)) yield { resource: refOf(f), status: 'unknown', message: `could not decide: ${CAPACITY_ANNOTATION} does not record ${resource}` };
        } else if (Number.isNaN(sum)) {
          yield { resource: refOf(f), status: 'unknown', message: `could not decide: a nominalQuota of ${resource} is not a quantity` };
        } else if (sum > cap + 1e-9) {
          const by = quotas.filter((q) => q.resource === resource).map((q) => `${String(q.queue.object.metadata.name)}=${q.nominal}`);
          yield { resource: refOf(f), status: 'fail', message: `nominal ${resource} quotas sum to ${sum} (${by.join(', ')}), above the flavor capacity of ${cap}` };
        }
      }
    }
  },
  examples: {
    pass: [k8s([exFlavor('h100', 'nvidia.com/gpu=32'), exClusterQueue('a', { h100: { 'nvidia.com/gpu': 16 } }), exClusterQueue('b', { h100: { 'nvidia.com/gpu': 16 } })])],
    fail: [k8s([exFlavor('h100', 'nvidia.com/gpu=32'), exClusterQueue('a', { h100: { 'nvidia.com/gpu': 24 } }), exClusterQueue('b', { h100: { 'nvidia.com/gpu': 16 } })])],
  },
});

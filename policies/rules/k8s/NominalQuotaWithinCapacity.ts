import { defineRule } from '../../engine/rule-kit';
import { clusterOf, k8sDocs, isGpuResource, refOf } from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { CAPACITY_ANNOTATION, clusterQueues, flavorCapacity, queueQuotas } from '../../engine/kueue';
import { exClusterQueue, exFlavor, k8s } from '../../examples/builders';

const cohort = (gpus: Record<string, number>): K8sObject => ({
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'Cohort',
  metadata: { name: 'genesis' },
  spec: {
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: Object.entries(gpus).map(([name, n]) => ({
          name,
          resources: [{ name: 'nvidia.com/gpu', nominalQuota: n }],
        })),
      },
    ],
  },
});

export default defineRule({
  id: 'GEN-K8S-CAP-001',
  title: 'Nominal quotas of all ClusterQueues fit the capacity of each ResourceFlavor',
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'CP-2(2)', 'PM-3'],
  rationale:
    "Kueue does not see real capacity: a nominal quota is a promise. If the quotas of all tenants on one flavor add up to more than the GPUs that flavor's nodes hold, guaranteed work waits behind workloads the platform promised elsewhere. The capacity is read from the flavor's " +
    CAPACITY_ANNOTATION +
    ' annotation: a flavor that quotas refer to must carry it, and record every GPU resource they promise. Quotas of Cohorts (resourceGroups of a Cohort are shared by its queues) count as well as those of ClusterQueues.',
  remediation: `Lower the tenants' nominal quotas or add nodes; keep the ${CAPACITY_ANNOTATION} annotation of the ResourceFlavor equal to what its node pool guarantees.`,
  *check(ctx) {
    for (const f of k8sDocs(ctx, 'ResourceFlavor')) {
      const owners = [
        ...clusterQueues(ctx, clusterOf(f)),
        ...k8sDocs(ctx, 'Cohort').filter((c) => clusterOf(c) === clusterOf(f)),
      ];
      const quotas = owners.flatMap(queueQuotas).filter((q) => q.flavor === f.object.metadata.name);
      if (quotas.length === 0) continue;
      const capacity = flavorCapacity(f.object);
      if (capacity === undefined || typeof capacity === 'string') {
        yield {
          resource: refOf(f),
          status: 'fail',
          message:
            capacity ??
            `quotas refer to the flavor, but it has no ${CAPACITY_ANNOTATION} annotation recording its capacity`,
        };
        continue;
      }
      const sums = new Map<string, number>();
      for (const q of quotas) sums.set(q.resource, (sums.get(q.resource) ?? 0) + q.nominal);
      for (const [resource, sum] of [...sums].sort()) {
        const cap = capacity.get(resource);
        if (cap === undefined) {
          if (isGpuResource(resource) && sum !== 0)
            yield {
              resource: refOf(f),
              status: 'fail',
              message: `quotas promise ${sum} ${resource}, which ${CAPACITY_ANNOTATION} does not record`,
            };
        } else if (Number.isNaN(sum)) {
          yield {
            resource: refOf(f),
            status: 'unknown',
            message: `could not decide: a nominalQuota of ${resource} is not a quantity`,
          };
        } else if (sum > cap + 1e-9) {
          const by = quotas
            .filter((q) => q.resource === resource)
            .map(
              (q) =>
                `${q.queue.object.kind === 'Cohort' ? 'Cohort ' : ''}${String(q.queue.object.metadata.name)}=${q.nominal}`,
            );
          yield {
            resource: refOf(f),
            status: 'fail',
            message: `nominal ${resource} quotas sum to ${sum} (${by.join(', ')}), above the flavor capacity of ${cap}`,
          };
        }
      }
    }
  },
  examples: [
    {
      name: "two queues that fill the flavor's capacity exactly",
      artifacts: k8s([
        exFlavor('h100', 'nvidia.com/gpu=32'),
        exClusterQueue('a', { h100: { 'nvidia.com/gpu': 16 } }),
        exClusterQueue('b', { h100: { 'nvidia.com/gpu': 16 } }),
      ]),
      expect: { fires: false },
    },
    {
      name: "two queues above the flavor's capacity",
      artifacts: k8s([
        exFlavor('h100', 'nvidia.com/gpu=32'),
        exClusterQueue('a', { h100: { 'nvidia.com/gpu': 24 } }),
        exClusterQueue('b', { h100: { 'nvidia.com/gpu': 16 } }),
      ]),
      expect: {
        fires: true,
        message: /nominal nvidia\.com\/gpu quotas sum to 40 \(tenant-a=24, tenant-b=16\), above the flavor/,
      },
    },
    // no capacity annotation, or one that leaves out the GPUs promised
    {
      name: 'a flavor without capacity annotation',
      artifacts: k8s([exFlavor('h100'), exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } })]),
      expect: {
        fires: true,
        message: /quotas refer to the flavor, but it has no genesis\.platform\/capacity annotation recording/,
      },
    },
    {
      name: 'a capacity that does not record the GPUs the quotas promise',
      artifacts: k8s([exFlavor('h100', 'cpu=96'), exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } })]),
      expect: {
        fires: true,
        message: /quotas promise 8 nvidia\.com\/gpu, which genesis\.platform\/capacity does not record/,
      },
    },
    // quotas of a Cohort count as well
    {
      name: "a Cohort's quota above the flavor's capacity",
      artifacts: k8s([
        exFlavor('h100', 'nvidia.com/gpu=32'),
        exClusterQueue('a', { h100: { 'nvidia.com/gpu': 16 } }),
        cohort({ h100: 100 }),
      ]),
      expect: {
        fires: true,
        message: /nominal nvidia\.com\/gpu quotas sum to 116 \(tenant-a=16, Cohort genesis=100\), above the/,
      },
    },
  ],
});

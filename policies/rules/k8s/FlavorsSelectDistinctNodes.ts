import { defineRule } from '../../engine/rule-kit';
import { clusterOf, isRec, k8sDocs, refOf, specOf } from '../../engine/k8s';
import { clusterQueues, queueQuotas } from '../../engine/kueue';
import type { K8sDocument } from '../../engine/types';
import { exFlavor, k8s } from '../../examples/builders';
import { LABEL } from '../../../infra/contract';

const nodeLabelsOf = (d: K8sDocument): Record<string, string> => {
  const l = specOf(d.object).nodeLabels;
  return isRec(l) ? Object.fromEntries(Object.entries(l).map(([k, v]) => [k, String(v)])) : {};
};
/** Whether every node `b` selects is also selected by `a` (a's labels are a subset of b's). */
const covers = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.entries(a).every(([k, v]) => b[k] === v);

export default defineRule({
  id: 'GEN-K8S-CAP-005',
  title: 'ResourceFlavors with quotas select distinct nodes',
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'CP-2(2)', 'PM-3'],
  rationale:
    "Capacity is checked per flavor (GEN-K8S-CAP-001): if two flavors select the same nodes (equal nodeLabels, or one flavor's labels a subset of the other's, or no nodeLabels at all), the same GPUs are counted once for each flavor and the quotas of both together promise more than exists.",
  remediation:
    'Give each ResourceFlavor the label of its own node pool (genesis.platform/pool: <pool>), and no flavor that quotas use without nodeLabels.',
  *check(ctx) {
    const used = new Set(
      clusterQueues(ctx).flatMap((q) => queueQuotas(q).map((x) => `${clusterOf(q)}|${x.flavor}`)),
    );
    for (const c of k8sDocs(ctx, 'Cohort'))
      for (const x of queueQuotas(c)) used.add(`${clusterOf(c)}|${x.flavor}`);
    const flavors = k8sDocs(ctx, 'ResourceFlavor').filter((f) =>
      used.has(`${clusterOf(f)}|${String(f.object.metadata.name)}`),
    );
    for (const f of flavors) {
      const mine = nodeLabelsOf(f);
      const overlaps = flavors
        .filter((g) => g !== f && clusterOf(g) === clusterOf(f) && covers(mine, nodeLabelsOf(g)))
        .map((g) => String(g.object.metadata.name));
      if (overlaps.length)
        yield {
          resource: refOf(f),
          status: 'fail',
          message: `${Object.keys(mine).length ? `nodeLabels ${JSON.stringify(mine)}` : 'no nodeLabels'} also select${Object.keys(mine).length ? '' : 's'} the nodes of flavor${overlaps.length > 1 ? 's' : ''} ${overlaps.sort().join(', ')}: their capacity is counted twice`,
        };
    }
  },
  examples: [
    {
      name: 'two flavors of distinct pools',
      artifacts: k8s([exFlavor('h100', 'nvidia.com/gpu=32'), exFlavor('l40s', 'nvidia.com/gpu=16'), queue()]),
      expect: { fires: false },
    },
    {
      name: 'two flavors with the same node labels',
      artifacts: k8s([
        exFlavor('h100', 'nvidia.com/gpu=32'),
        {
          ...exFlavor('l40s', 'nvidia.com/gpu=16'),
          spec: { nodeLabels: { [LABEL.pool]: 'h100' } },
        },
        queue(),
      ]),
      expect: {
        fires: true,
        message:
          /nodeLabels \{"genesis\.platform\/pool":"h100"\} also select the nodes of flavor (h100|l40s): their capacity is counted twice/,
      },
    },
    {
      name: 'a flavor without node labels',
      artifacts: k8s([
        exFlavor('h100', 'nvidia.com/gpu=32'),
        { ...exFlavor('l40s', 'nvidia.com/gpu=16'), spec: {} },
        queue(),
      ]),
      expect: {
        fires: true,
        message: /no nodeLabels also selects the nodes of flavor h100: their capacity is counted twice/,
      },
    },
  ],
});

function queue() {
  return {
    apiVersion: 'kueue.x-k8s.io/v1beta2',
    kind: 'ClusterQueue',
    metadata: { name: 'tenant-a' },
    spec: {
      resourceGroups: [
        {
          coveredResources: ['nvidia.com/gpu'],
          flavors: ['h100', 'l40s'].map((name) => ({
            name,
            resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8 }],
          })),
        },
      ],
    },
  };
}

import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  inNamespace,
  isRec,
  k8sDocs,
  podSpecs,
  refOf,
  specOf,
  tenantNamespaceIndex,
  tenantOfDoc,
} from '../../engine/k8s';
import type { RuleContext } from '../../engine/types';
import { exJob, exLocalQueue, exNamespace, k8s, restrictedContainer } from '../../examples/builders';

const gpuToleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** Taint keys of GPU nodes: nvidia.com/gpu, amd.com/gpu, and whatever ResourceFlavors of the cluster declare. */
function gpuTaintKeys(ctx: RuleContext, cluster: string): Set<string> {
  const keys = new Set(['nvidia.com/gpu', 'amd.com/gpu']);
  for (const f of k8sDocs(ctx, 'ResourceFlavor')) {
    if (clusterOf(f) !== cluster) continue;
    for (const t of Array.isArray(specOf(f.object).nodeTaints)
      ? (specOf(f.object).nodeTaints as unknown[])
      : [])
      if (isRec(t) && typeof t.key === 'string') keys.add(t.key);
  }
  return keys;
}

export default defineRule({
  id: 'GEN-K8S-TEN-010',
  title: 'Only namespaces with a GPU queue tolerate GPU node taints',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-6', 'AC-3'],
  rationale:
    "GPU nodes are tainted so that only admitted work lands on them; a pod that tolerates the taint in a namespace without a LocalQueue reaches GPU nodes outside Kueue's quotas and fair sharing (and can see every GPU of the node through the device plugin gap).",
  remediation:
    'Give the namespace a LocalQueue pointing at its ClusterQueue and submit through it, or remove the GPU toleration (and a toleration with operator Exists and no key, which tolerates everything).',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    const taintKeys = new Map<string, Set<string>>();
    for (const d of k8sDocs(ctx)) {
      if (tenantOfDoc(index, d) === undefined) continue;
      let keys = taintKeys.get(clusterOf(d));
      if (!keys) taintKeys.set(clusterOf(d), (keys = gpuTaintKeys(ctx, clusterOf(d))));
      for (const { spec, path } of podSpecs(d.object)) {
        const tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []).filter(isRec);
        const gpu = tolerations.filter(
          (t) =>
            (t.key === undefined && t.operator === 'Exists') ||
            (typeof t.key === 'string' && keys.has(t.key)),
        );
        if (gpu.length === 0) continue;
        if (inNamespace(ctx, 'LocalQueue', clusterOf(d), d.object.metadata.namespace).length === 0)
          yield {
            resource: refOf(d),
            status: 'fail',
            message: `${path} tolerates GPU taint ${gpu.map((t) => String(t.key ?? '(all)')).join(', ')} but namespace ${String(d.object.metadata.namespace)} has no LocalQueue`,
          };
      }
    }
  },
  examples: [
    {
      name: 'a GPU toleration in a namespace with a LocalQueue',
      artifacts: k8s([
        exNamespace('acme'),
        exLocalQueue('tenant-acme'),
        exJob('tenant-acme', { containers: [restrictedContainer()], tolerations: [gpuToleration] }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a GPU toleration in a namespace without LocalQueue',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', { containers: [restrictedContainer()], tolerations: [gpuToleration] }),
      ]),
      expect: {
        fires: true,
        message: /spec\.template\.spec tolerates GPU taint nvidia\.com\/gpu but namespace tenant-acme has no/,
      },
    },
    {
      name: 'a toleration of every taint in a namespace without LocalQueue',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', { containers: [restrictedContainer()], tolerations: [{ operator: 'Exists' }] }),
      ]),
      expect: {
        fires: true,
        message:
          /spec\.template\.spec tolerates GPU taint \(all\) but namespace tenant-acme has no LocalQueue/,
      },
    },
  ],
});

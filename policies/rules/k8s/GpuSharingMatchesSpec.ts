import { k8s } from '../../examples/builders';
import { parse } from 'yaml';
import { intentOf, type IntentPool } from '../../analysis/intent';
import { clusterOf, isRec, k8sDocs, refOf, specOf } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sDocument, K8sObject } from '../../engine/types';

const yamlOf = (text: unknown): Record<string, unknown> | undefined => {
  try {
    const v = typeof text === 'string' ? (parse(text) as unknown) : undefined;
    return isRec(v) ? v : undefined;
  } catch {
    return undefined;
  }
};
const path = (v: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((x, k) => (isRec(x) ? x[k] : undefined), v);

/** The ConfigMap a ClusterPolicy names under spec.<component>.config.name (namespace gpu-operator). */
function configOf(
  ctx: Parameters<typeof k8sDocs>[0],
  policy: K8sDocument,
  component: string,
): K8sDocument | undefined {
  const name = path(specOf(policy.object), component, 'config', 'name');
  return k8sDocs(ctx, 'ConfigMap').find(
    (d) => clusterOf(d) === clusterOf(policy) && d.object.metadata.name === name,
  );
}

/** How the device plugin config of a pool shares its GPUs, against the pool's declared sharing. */
function poolProblems(
  pool: IntentPool,
  config: Record<string, unknown> | undefined,
  migConfigs: unknown,
): string[] {
  const want = pool.sharing ?? { mode: 'exclusive' };
  if (!config) return [`${pool.name}: no device plugin configuration`];
  const slicing = path(config, 'sharing', 'timeSlicing', 'resources');
  const replicas = Array.isArray(slicing)
    ? slicing.map((r) => Number(path(r, 'replicas'))).filter((n) => n > 1)
    : [];
  const mig = String(path(config, 'flags', 'migStrategy') ?? 'none');
  const out: string[] = [];
  if (want.mode !== 'time-slicing' && replicas.length)
    out.push(
      `${pool.name}: time-slicing with ${replicas.join('/')} replicas, the spec declares ${want.mode}`,
    );
  if (want.mode === 'time-slicing' && !replicas.includes(want.replicas ?? -1))
    out.push(
      `${pool.name}: time-slicing replicas ${replicas.join('/') || 'none'}, the spec declares ${String(want.replicas)}`,
    );
  if (want.mode === 'mig') {
    if (mig !== want.strategy)
      out.push(`${pool.name}: MIG strategy ${mig}, the spec declares ${String(want.strategy)}`);
    const layout = path(migConfigs, `${pool.name}-${String(want.profile)}`);
    const profiles = Array.isArray(layout)
      ? layout.flatMap((l) =>
          Object.keys(isRec(path(l, 'mig-devices')) ? (path(l, 'mig-devices') as object) : {}),
        )
      : [];
    if (profiles.length === 0 || profiles.some((p) => p !== want.profile))
      out.push(
        `${pool.name}: MIG layout ${profiles.join(', ') || 'absent'}, the spec declares ${String(want.profile)}`,
      );
  } else if (mig !== 'none') out.push(`${pool.name}: MIG strategy ${mig}, the spec declares ${want.mode}`);
  return out;
}

const cm = (name: string, data: Record<string, string>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'gpu-operator' },
  data,
});
const clusterPolicy: K8sObject = {
  apiVersion: 'nvidia.com/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'cluster-policy' },
  spec: { devicePlugin: { config: { name: 'dp', default: 'd' } }, migManager: { config: { name: 'mig' } } },
};
const intent = {
  tenants: [],
  storageTiers: [],
  clusters: [
    {
      id: 'cluster-a',
      site: 'site-a',
      nodePools: [
        { name: 'h100', sharing: { mode: 'exclusive' } },
        { name: 'l40s', sharing: { mode: 'time-slicing', replicas: 4 } },
      ],
    },
  ],
};
const slicing = (n: number) =>
  `version: v1\nflags:\n  migStrategy: none\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: ${n}\n`;
const plain = 'version: v1\nflags:\n  migStrategy: none\n';

export default defineRule({
  id: 'GEN-K8S-SCH-004',
  title: "The GPU Operator shares each pool's GPUs as the spec declares (exclusive, time-slicing, MIG)",
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-4', 'SC-6'],
  rationale:
    'Time-slicing lets several pods, of different tenants, share one GPU and its memory without isolation; MIG partitions it. A pool declared exclusive (for CUI or export-controlled work) must not be time-sliced or partitioned, and a shared pool must be shared as declared, or quotas count slices the spec never sold. The device plugin configuration of each pool (the ConfigMap the ClusterPolicy names) and the MIG layout are compared with the declared intent.',
  remediation:
    "Regenerate gpu-operator.yaml with `genesis synth`, or change the pool's `sharing` in the spec.",
  *check(ctx) {
    const spec = intentOf(ctx);
    if (!spec) return;
    for (const policy of k8sDocs(ctx, 'ClusterPolicy')) {
      const cluster = spec.clusters.find((c) => c.id === policy.cluster);
      if (!cluster) continue;
      const dp = configOf(ctx, policy, 'devicePlugin');
      const mig = configOf(ctx, policy, 'migManager');
      const data = dp && isRec(dp.object.data) ? dp.object.data : {};
      const fallback = path(specOf(policy.object), 'devicePlugin', 'config', 'default');
      const migConfigs = path(
        yamlOf(mig && isRec(mig.object.data) ? mig.object.data['config.yaml'] : undefined),
        'mig-configs',
      );
      const problems = cluster.nodePools.flatMap((p) =>
        poolProblems(p, yamlOf(data[p.name] ?? data[String(fallback)]), migConfigs),
      );
      if (problems.length)
        yield { resource: refOf(dp ?? policy), status: 'fail', message: problems.join('; ') };
    }
  },
  examples: [
    {
      name: 'an exclusive pool and a pool time-sliced four ways, as declared',
      artifacts: { ...k8s([clusterPolicy, cm('dp', { d: plain, h100: plain, l40s: slicing(4) })]), intent },
      expect: { fires: false },
    },
    {
      name: 'time-slicing turned on for the exclusive pool',
      artifacts: {
        ...k8s([clusterPolicy, cm('dp', { d: plain, h100: slicing(2), l40s: slicing(4) })]),
        intent,
      },
      expect: { fires: true, message: /h100: time-slicing with 2 replicas, the spec declares exclusive/ },
    },
    {
      name: 'more replicas than declared',
      artifacts: { ...k8s([clusterPolicy, cm('dp', { d: plain, h100: plain, l40s: slicing(8) })]), intent },
      expect: { fires: true, message: /l40s: time-slicing replicas 8/ },
    },
  ],
});

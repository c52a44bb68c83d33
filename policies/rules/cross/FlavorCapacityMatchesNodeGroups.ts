import { parse } from 'yaml';
import { defineRule } from '../../engine/rule-kit';
import { cfnResources, type CfnItem } from '../../engine/cfn/template';
import { clusterOf, isGpuResource, isRec, k8sDocs, refOf, specOf } from '../../engine/k8s';
import { CAPACITY_ANNOTATION, flavorCapacity } from '../../engine/kueue';
import type { K8sObject, RuleContext } from '../../engine/types';
import { cfn, exFlavor, k8s, merge } from '../../examples/builders';
import { LABEL, WELL_KNOWN_LABEL } from '../../../infra/contract';

/** GPUs per EC2 instance type (public instance specifications). */
export const INSTANCE_GPUS: Record<string, number> = {
  'p5.48xlarge': 8,
  'p5e.48xlarge': 8,
  'p5en.48xlarge': 8,
  'p4d.24xlarge': 8,
  'p4de.24xlarge': 8,
  'p3.2xlarge': 1,
  'p3.8xlarge': 4,
  'p3.16xlarge': 8,
  'p3dn.24xlarge': 8,
  'g6e.xlarge': 1,
  'g6e.2xlarge': 1,
  'g6e.4xlarge': 1,
  'g6e.8xlarge': 1,
  'g6e.16xlarge': 1,
  'g6e.12xlarge': 4,
  'g6e.24xlarge': 4,
  'g6e.48xlarge': 8,
  'g6.xlarge': 1,
  'g6.2xlarge': 1,
  'g6.4xlarge': 1,
  'g6.8xlarge': 1,
  'g6.16xlarge': 1,
  'g6.12xlarge': 4,
  'g6.24xlarge': 4,
  'g6.48xlarge': 8,
  'g5.xlarge': 1,
  'g5.2xlarge': 1,
  'g5.4xlarge': 1,
  'g5.8xlarge': 1,
  'g5.16xlarge': 1,
  'g5.12xlarge': 4,
  'g5.24xlarge': 4,
  'g5.48xlarge': 8,
};

const POOL_CLUSTER_LABEL = LABEL.cluster;
const DEVICE_PLUGIN_LABEL = WELL_KNOWN_LABEL.devicePluginConfig;
const MIG_LABEL = WELL_KNOWN_LABEL.migConfig;

const parseYaml = (v: unknown): Record<string, unknown> => {
  try {
    const x = typeof v === 'string' ? (parse(v) as unknown) : undefined;
    return isRec(x) ? x : {};
  } catch {
    return {};
  }
};

/** The entry `name` of any ConfigMap of namespace gpu-operator of the cluster (device-plugin or MIG config). */
function operatorConfig(ctx: RuleContext, cluster: string, key: string): unknown {
  for (const d of k8sDocs(ctx, 'ConfigMap'))
    if (clusterOf(d) === cluster && isRec(d.object.data) && key in d.object.data) return d.object.data[key];
  return undefined;
}

/** GPU resources one node of the group advertises: physical GPUs, times time-slicing replicas or MIG slices. */
function perNode(
  ctx: RuleContext,
  cluster: string,
  gpus: number,
  labels: Record<string, unknown>,
): Map<string, number> {
  const out = new Map<string, number>();
  const plugin = parseYaml(
    operatorConfig(ctx, cluster, String(labels[DEVICE_PLUGIN_LABEL] ?? 'genesis-default')),
  );
  const strategy = isRec(plugin.flags) ? String(plugin.flags.migStrategy ?? 'none') : 'none';
  const migConfigs = parseYaml(operatorConfig(ctx, cluster, 'config.yaml'))['mig-configs'];
  const mig =
    isRec(migConfigs) && typeof labels[MIG_LABEL] === 'string'
      ? migConfigs[labels[MIG_LABEL] as string]
      : undefined;
  const devices = Array.isArray(mig) ? mig.filter(isRec).find((m) => m['mig-enabled'] === true) : undefined;
  if (strategy !== 'none' && devices && isRec(devices['mig-devices'])) {
    for (const [profile, n] of Object.entries(devices['mig-devices'])) {
      const r = strategy === 'single' ? 'nvidia.com/gpu' : `nvidia.com/mig-${profile}`;
      out.set(r, (out.get(r) ?? 0) + gpus * Number(n));
    }
    return out;
  }
  const sharing =
    isRec(plugin.sharing) &&
    isRec(plugin.sharing.timeSlicing) &&
    Array.isArray(plugin.sharing.timeSlicing.resources)
      ? plugin.sharing.timeSlicing.resources
      : [];
  const replicas = sharing.filter(isRec).find((r) => r.name === 'nvidia.com/gpu')?.replicas;
  out.set('nvidia.com/gpu', gpus * (typeof replicas === 'number' && replicas > 0 ? replicas : 1));
  return out;
}

export default defineRule({
  id: 'GEN-X-004',
  title: 'On EKS, the capacity a ResourceFlavor records is what its node groups guarantee',
  pack: 'cross-target',
  severity: 'error',
  controls: ['SC-6', 'CP-2(2)', 'PM-3'],
  rationale: `GEN-K8S-CAP-001 judges quotas against the capacity a flavor records in ${CAPACITY_ANNOTATION}; raising the record together with the quotas would pass it. On EKS the cloud assembly says what exists: the managed node groups that carry the flavor's node labels, their minimum size and instance type, and the GPU Operator's device-plugin and MIG configuration of their nodes. The GPUs a flavor records must not exceed minimum nodes x GPUs per instance x time-slicing replicas or MIG slices. On clusters outside AWS the artifacts hold no such evidence (see Contracts with the targets).`,
  remediation:
    "Record in the flavor the GPUs its node groups guarantee at their minimum size, or raise the node groups' minimum size with the quotas.",
  *check(ctx) {
    const groups: CfnItem[] = [...cfnResources(ctx, 'AWS::EKS::Nodegroup')];
    for (const f of k8sDocs(ctx, 'ResourceFlavor')) {
      const capacity = flavorCapacity(f.object);
      if (!(capacity instanceof Map)) continue; // GEN-K8S-CAP-001 judges a missing or malformed record
      const onCluster = groups.filter(
        (g) =>
          g.stack.stackName === `Site-${f.site}` &&
          isRec(g.props.Labels) &&
          g.props.Labels[POOL_CLUSTER_LABEL] === f.cluster,
      );
      if (onCluster.length === 0) continue; // not an EKS cluster of the assembly
      const selector = isRec(specOf(f.object).nodeLabels)
        ? (specOf(f.object).nodeLabels as Record<string, unknown>)
        : {};
      const matched = onCluster.filter((g) =>
        Object.entries(selector).every(([k, v]) => (g.props.Labels as Record<string, unknown>)[k] === v),
      );
      const evidence = new Map<string, number>();
      const undecided: string[] = [];
      for (const g of matched) {
        const scaling = isRec(g.props.ScalingConfig) ? g.props.ScalingConfig : {};
        const types = Array.isArray(g.props.InstanceTypes) ? g.props.InstanceTypes.map(String) : [];
        const gpus = types.length ? Math.min(...types.map((t) => INSTANCE_GPUS[t] ?? NaN)) : NaN;
        if (typeof scaling.MinSize !== 'number' || Number.isNaN(gpus)) {
          undecided.push(
            `node group ${g.logicalId} (minimum size ${JSON.stringify(scaling.MinSize)}, instance types ${types.join(', ') || 'not stated'})`,
          );
          continue;
        }
        for (const [r, n] of perNode(ctx, clusterOf(f), gpus, g.props.Labels as Record<string, unknown>))
          evidence.set(r, (evidence.get(r) ?? 0) + scaling.MinSize * n);
      }
      const over = [...capacity]
        .filter(([r, n]) => isGpuResource(r) && n > 0 && n > (evidence.get(r) ?? 0))
        .map(([r, n]) => `${r}=${n} recorded, ${evidence.get(r) ?? 0} guaranteed`);
      if (undecided.length && over.length)
        yield {
          resource: refOf(f),
          status: 'unknown',
          message: `could not decide the capacity of ${undecided.join('; ')}`,
        };
      else if (over.length)
        yield {
          resource: refOf(f),
          status: 'fail',
          message: `${CAPACITY_ANNOTATION} exceeds what the node groups ${matched.map((g) => g.logicalId).join(', ') || '(none carry its nodeLabels)'} guarantee at minimum size: ${over.join(', ')}`,
        };
    }
  },
  examples: [
    {
      name: "a recorded capacity equal to the node group's GPUs at minimum size",
      artifacts: merge(
        k8s([exFlavor('h100', 'nvidia.com/gpu=32')], 'gw/gw-gpu/kueue.yaml'),
        cfn({ Ng: nodegroup('h100', 4, 'p5.48xlarge') }, 'Site-gw'),
      ),
      expect: { fires: false },
    },
    {
      name: "a recorded capacity above the node group's GPUs",
      artifacts: merge(
        k8s([exFlavor('h100', 'nvidia.com/gpu=1024')], 'gw/gw-gpu/kueue.yaml'),
        cfn({ Ng: nodegroup('h100', 4, 'p5.48xlarge') }, 'Site-gw'),
      ),
      expect: {
        fires: true,
        message: /genesis\.platform\/capacity exceeds what the node groups Ng guarantee at minimum size:/,
      },
    },
    // the flavor's nodes are in no node group of the cluster
    {
      name: 'a flavor whose nodes are in no node group',
      artifacts: merge(
        k8s([exFlavor('h200', 'nvidia.com/gpu=32')], 'gw/gw-gpu/kueue.yaml'),
        cfn({ Ng: nodegroup('h100', 4, 'p5.48xlarge') }, 'Site-gw'),
      ),
      expect: {
        fires: true,
        message: /genesis\.platform\/capacity exceeds what the node groups \(none carry its nodeLabels\)/,
      },
    },
    // time-slicing counts replicas, but only those configured
    {
      name: 'time-slicing replicas counted beyond those configured',
      artifacts: merge(
        k8s(
          [
            exFlavor('l40s', 'nvidia.com/gpu=64'),
            plugin({
              l40s: 'version: v1\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: 2\n',
            }),
          ],
          'gw/gw-gpu/kueue.yaml',
        ),
        cfn({ Ng: nodegroup('l40s', 2, 'g6e.48xlarge') }, 'Site-gw'),
      ),
      expect: {
        fires: true,
        message: /genesis\.platform\/capacity exceeds what the node groups Ng guarantee at minimum size:/,
      },
    },
  ],
});

function nodegroup(pool: string, min: number, type: string) {
  return {
    Type: 'AWS::EKS::Nodegroup',
    Properties: {
      Labels: { [LABEL.pool]: pool, [POOL_CLUSTER_LABEL]: 'gw-gpu', [DEVICE_PLUGIN_LABEL]: pool },
      ScalingConfig: { MinSize: min, DesiredSize: min, MaxSize: min + 2 },
      InstanceTypes: [type],
    },
  };
}
function plugin(data: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'genesis-device-plugin-config', namespace: 'gpu-operator' },
    data,
  };
}

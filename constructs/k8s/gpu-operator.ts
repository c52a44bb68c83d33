/**
 * NVIDIA GPU Operator configuration: the cluster-scoped ClusterPolicy, and the ConfigMaps it reads
 * (namespaced, in the operator's namespace) holding one device-plugin config and one MIG layout
 * per node pool. Nodes pick their entry through the labels of infra/contract/gpu-nodes.
 */
import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { GPU_INFO, migSlicesPerGpu, type NodePool } from '../../infra/model';
import { devicePluginConfigName, gpuNodeTaint, migConfigName } from '../../infra/contract/gpu-nodes';
import { runsOnEks, type ClusterContext } from './context';
import { clusterPolicy } from './crds/nvidia';

export const GPU_OPERATOR_NAMESPACE = 'gpu-operator';
export const DEVICE_PLUGIN_CONFIGMAP = 'genesis-device-plugin-config';
export const MIG_CONFIGMAP = 'genesis-mig-config';
/** The device-plugin config of nodes that carry no pool label: whole GPUs, no sharing. */
const DEFAULT_DEVICE_CONFIG = 'genesis-default';

const nvidiaPools = (ctx: ClusterContext): NodePool[] =>
  ctx.pools.filter((p) => GPU_INFO[p.gpu.model].vendor === 'nvidia');

const yamlText = (value: unknown): string => stringify(value, { sortMapEntries: false, lineWidth: 0 });

/** NVIDIA device-plugin config file (version v1) for one pool. */
export function devicePluginConfig(pool: NodePool): Record<string, unknown> {
  const migStrategy = pool.sharing.mode === 'mig' ? pool.sharing.strategy : 'none';
  const config: Record<string, unknown> = { version: 'v1', flags: { migStrategy } };
  if (pool.sharing.mode === 'time-slicing') {
    config.sharing = {
      timeSlicing: {
        renameByDefault: false,
        // A pod asking for two replicas of one GPU would get no more compute; refuse it instead.
        failRequestsGreaterThanOne: true,
        resources: [{ name: 'nvidia.com/gpu', replicas: pool.sharing.replicas }],
      },
    };
  }
  return config;
}

/** mig-parted configuration: `all-disabled` plus one uniform layout per MIG pool. */
export function migPartedConfig(pools: readonly NodePool[]): Record<string, unknown> {
  const configs: Record<string, unknown> = { 'all-disabled': [{ devices: 'all', 'mig-enabled': false }] };
  for (const pool of pools) {
    if (pool.sharing.mode !== 'mig') continue;
    configs[migConfigName(pool)] = [
      {
        devices: 'all',
        'mig-enabled': true,
        'mig-devices': { [pool.sharing.profile]: migSlicesPerGpu(pool) ?? 0 },
      },
    ];
  }
  return { version: 'v1', 'mig-configs': configs };
}

/** The cluster-wide MIG strategy; per-pool device-plugin configs override it for their nodes. */
function clusterMigStrategy(pools: readonly NodePool[]): 'none' | 'single' | 'mixed' {
  const mig = pools.flatMap((p) => (p.sharing.mode === 'mig' ? [p.sharing.strategy] : []));
  if (mig.includes('mixed')) return 'mixed';
  return mig.length > 0 ? 'single' : 'none';
}

/** ClusterPolicy in the cluster-scoped chart; nothing when the cluster has no NVIDIA pool. */
export function addClusterPolicy(scope: Construct, ctx: ClusterContext): ApiObject | undefined {
  const pools = nvidiaPools(ctx);
  if (pools.length === 0) return undefined;
  const taintKeys = [...new Set(pools.map((p) => gpuNodeTaint(GPU_INFO[p.gpu.model]).key))].sort();
  return clusterPolicy(scope, 'cluster-policy', {
    metadata: { name: 'cluster-policy', labels: ctx.labels() },
    spec: {
      operator: { defaultRuntime: 'containerd' },
      daemonsets: {
        priorityClassName: 'system-node-critical',
        tolerations: taintKeys.map((key) => ({ key, operator: 'Exists', effect: 'NoSchedule' })),
      },
      // EKS accelerated AMIs ship the NVIDIA driver; on-prem nodes get it from the operator.
      driver: { enabled: !runsOnEks(ctx) },
      toolkit: {
        enabled: true,
        // Closes the isolation gap of NVIDIA_VISIBLE_DEVICES: an unprivileged container (or its
        // image, as CUDA base images do) setting it gets no devices; only the device plugin's
        // volume-mount list grants GPUs. The admission policy rejects the variable as well.
        env: [
          { name: 'ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED', value: 'false' },
          { name: 'ACCEPT_NVIDIA_VISIBLE_DEVICES_AS_VOLUME_MOUNTS', value: 'true' },
        ],
      },
      devicePlugin: {
        enabled: true,
        env: [{ name: 'DEVICE_LIST_STRATEGY', value: 'volume-mounts' }],
        config: { name: DEVICE_PLUGIN_CONFIGMAP, default: DEFAULT_DEVICE_CONFIG },
      },
      dcgm: { enabled: true },
      dcgmExporter: { enabled: true },
      gfd: { enabled: true },
      nodeStatusExporter: { enabled: true },
      mig: { strategy: clusterMigStrategy(pools) },
      migManager: {
        enabled: pools.some((p) => p.sharing.mode === 'mig'),
        config: { name: MIG_CONFIGMAP, default: 'all-disabled' },
      },
    },
  });
}

/** The ConfigMaps of the operator's namespace (a chart with that namespace). */
export function addGpuOperatorConfigMaps(scope: Construct, ctx: ClusterContext): void {
  const pools = nvidiaPools(ctx);
  if (pools.length === 0) return;
  const data: Record<string, string> = {
    [DEFAULT_DEVICE_CONFIG]: yamlText({ version: 'v1', flags: { migStrategy: 'none' } }),
  };
  for (const pool of pools) data[devicePluginConfigName(pool)] = yamlText(devicePluginConfig(pool));
  new k8s.KubeConfigMap(scope, 'device-plugin-config', {
    metadata: { name: DEVICE_PLUGIN_CONFIGMAP, namespace: GPU_OPERATOR_NAMESPACE, labels: ctx.labels() },
    data,
  });
  if (pools.some((p) => p.sharing.mode === 'mig')) {
    new k8s.KubeConfigMap(scope, 'mig-config', {
      metadata: { name: MIG_CONFIGMAP, namespace: GPU_OPERATOR_NAMESPACE, labels: ctx.labels() },
      data: { 'config.yaml': yamlText(migPartedConfig(pools)) },
    });
  }
}

/**
 * How GPU nodes are marked, for every target that creates nodes (EKS node groups, on-prem node
 * provisioning) and for the Kubernetes objects that select them (Kueue ResourceFlavors, the GPU
 * Operator's per-pool device-plugin and MIG configurations). A node of pool P carries exactly these
 * labels and this taint; nothing selects GPU nodes by vendor labels, which change during MIG
 * reconfiguration.
 */
import { GPU_INFO, type NodePool } from '../../infra/model';
import { LABEL } from './names';

/** The NVIDIA device-plugin config (a key of the device-plugin ConfigMap) a pool's nodes use. */
export function devicePluginConfigName(pool: NodePool): string {
  return pool.name;
}

/** The mig-parted config (a key of the MIG ConfigMap) a pool's nodes use. */
export function migConfigName(pool: NodePool): string {
  return pool.sharing.mode === 'mig' ? `${pool.name}-${pool.sharing.profile}` : 'all-disabled';
}

export function gpuNodeLabels(pool: NodePool): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.pool]: pool.name };
  if (GPU_INFO[pool.gpu.model].vendor === 'nvidia') {
    labels['nvidia.com/device-plugin.config'] = devicePluginConfigName(pool);
    if (Object.keys(GPU_INFO[pool.gpu.model].migProfiles).length > 0) labels['nvidia.com/mig.config'] = migConfigName(pool);
  }
  return labels;
}

export interface GpuTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule';
}

/** GPU nodes repel pods that do not ask for them (Kueue adds the toleration on admission). */
export function gpuNodeTaint(pool: NodePool): GpuTaint {
  return { key: GPU_INFO[pool.gpu.model].vendor === 'amd' ? 'amd.com/gpu' : 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
}

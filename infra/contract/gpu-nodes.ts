/**
 * How GPU nodes are marked, for every target that creates nodes (EKS node groups, on-prem node
 * provisioning) and for the Kubernetes objects that select them (Kueue ResourceFlavors, the GPU
 * Operator's per-pool device-plugin and MIG configurations). A node of pool P carries exactly these
 * labels and this taint; nothing selects GPU nodes by vendor labels, which change during MIG
 * reconfiguration.
 */
import { LABEL, WELL_KNOWN_LABEL } from './keys';

/** What the contract needs to know of a node pool (the model's NodePool has this shape). */
export interface GpuPoolShape {
  readonly name: string;
  readonly sharing: { readonly mode: string; readonly profile?: string };
}

/** What the contract needs to know of the pool's GPU model (the model's GPU_INFO entry). */
export interface GpuModelShape {
  readonly vendor: 'nvidia' | 'amd';
  readonly migProfiles: Readonly<Record<string, number>>;
}

/** The NVIDIA device-plugin config (a key of the device-plugin ConfigMap) a pool's nodes use. */
export function devicePluginConfigName(pool: GpuPoolShape): string {
  return pool.name;
}

/** The mig-parted config (a key of the MIG ConfigMap) a pool's nodes use. */
export function migConfigName(pool: GpuPoolShape): string {
  return pool.sharing.mode === 'mig' ? `${pool.name}-${pool.sharing.profile ?? ''}` : 'all-disabled';
}

export function gpuNodeLabels(pool: GpuPoolShape, gpu: GpuModelShape): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.pool]: pool.name };
  if (gpu.vendor === 'nvidia') {
    labels[WELL_KNOWN_LABEL.devicePluginConfig] = devicePluginConfigName(pool);
    if (Object.keys(gpu.migProfiles).length > 0) labels[WELL_KNOWN_LABEL.migConfig] = migConfigName(pool);
  }
  return labels;
}

export interface GpuTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule';
}

/** GPU nodes repel pods that do not ask for them (Kueue adds the toleration on admission). */
export function gpuNodeTaint(gpu: GpuModelShape): GpuTaint {
  return {
    key: gpu.vendor === 'amd' ? 'amd.com/gpu' : 'nvidia.com/gpu',
    value: 'present',
    effect: 'NoSchedule',
  };
}

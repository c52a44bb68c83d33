/**
 * What the platform knows about GPU models: vendor, memory, and the MIG profiles each supports
 * with how many slices of that profile fit one GPU (NVIDIA MIG user guide, "supported profiles").
 */
export const GPU_MODELS = ['A100', 'H100', 'H200', 'L40S', 'MI300X'] as const;
export type GpuModel = (typeof GPU_MODELS)[number];

export interface GpuModelInfo {
  readonly vendor: 'nvidia' | 'amd';
  readonly memoryGiB: number;
  /** MIG profile name -> slices of it per GPU; empty where the model has no MIG. */
  readonly migProfiles: Readonly<Record<string, number>>;
}

export const GPU_INFO: Readonly<Record<GpuModel, GpuModelInfo>> = {
  A100: {
    vendor: 'nvidia',
    memoryGiB: 80,
    migProfiles: { '1g.10gb': 7, '2g.20gb': 3, '3g.40gb': 2, '4g.40gb': 1, '7g.80gb': 1 },
  },
  H100: {
    vendor: 'nvidia',
    memoryGiB: 80,
    migProfiles: { '1g.10gb': 7, '1g.20gb': 4, '2g.20gb': 3, '3g.40gb': 2, '4g.40gb': 1, '7g.80gb': 1 },
  },
  H200: {
    vendor: 'nvidia',
    memoryGiB: 141,
    migProfiles: { '1g.18gb': 7, '1g.35gb': 4, '2g.35gb': 3, '3g.71gb': 2, '4g.71gb': 1, '7g.141gb': 1 },
  },
  L40S: { vendor: 'nvidia', memoryGiB: 48, migProfiles: {} },
  MI300X: { vendor: 'amd', memoryGiB: 192, migProfiles: {} },
};

/** GPU clusters: one Kubernetes cluster in one enclave, with GPU node pools. */
import { z } from 'zod';
import { GPU_MODELS } from './accelerators';
import { CpuQuantity, Id, Ipv4Address, Quantity, Text } from './primitives';
import { KubernetesVersion } from './sites';

export const Sharing = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('exclusive') }),
  z.strictObject({
    mode: z.literal('mig'),
    /** A MIG profile of the pool's GPU model, e.g. 1g.10gb. */
    profile: z.string().regex(/^[1-7]g\.\d+gb$/, { message: 'must be a MIG profile such as 1g.10gb' }),
    /** `single` advertises slices as nvidia.com/gpu; `mixed` as nvidia.com/mig-<profile>. */
    strategy: z.enum(['single', 'mixed']).default('single'),
  }),
  z.strictObject({
    mode: z.literal('time-slicing'),
    /** How many workloads share one GPU. */
    replicas: z.number().int().min(2).max(16),
  }),
]);

export const NodeCount = z.union([
  z.strictObject({ count: z.number().int().min(1).max(1000) }),
  z.strictObject({ min: z.number().int().min(0).max(1000), max: z.number().int().min(1).max(1000) }),
]);

export const NodePool = z.strictObject({
  name: Id,
  gpu: z.strictObject({
    model: z.enum(GPU_MODELS),
    perNode: z.number().int().min(1).max(16),
  }),
  nodes: NodeCount,
  sharing: Sharing.default({ mode: 'exclusive' }),
  cpuPerNode: CpuQuantity,
  memoryPerNode: Quantity,
  /** AWS sites only: the EC2 instance type, e.g. p5.48xlarge. */
  instanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: 'must be an EC2 instance type such as p5.48xlarge' })
    .optional(),
});

/**
 * Where a cluster's Kubernetes API answers for a federation manager on another site: an address
 * inside the cluster's enclave and its port, and (off AWS) the public address of the site's IPsec
 * gateway the manager's site-to-site VPN connects to; a partner site in the partner's AWS account
 * is reached through a transit gateway and has none. Nothing else of the enclave is reached.
 */
export const ApiServer = z.strictObject({
  address: Ipv4Address,
  port: z.number().int().min(1).max(65535).default(6443),
  vpnPeer: Ipv4Address.optional(),
});

export const Cluster = z.strictObject({
  id: Id,
  site: Id,
  enclave: Id,
  description: Text.optional(),
  kubernetesVersion: KubernetesVersion,
  nodePools: z.array(NodePool).min(1, { message: 'must have at least one node pool' }),
  /** Required of a federation worker on another site than its manager. */
  apiServer: ApiServer.optional(),
});
export type ApiServer = z.infer<typeof ApiServer>;
export type Sharing = z.infer<typeof Sharing>;
export type NodePool = z.infer<typeof NodePool>;
export type Cluster = z.infer<typeof Cluster>;

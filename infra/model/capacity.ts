/**
 * Target-neutral capacity arithmetic: how many schedulable GPU units a node pool offers, under
 * which extended-resource name, and how much CPU and memory come with each unit.
 */
import { GPU_INFO } from './accelerators';
import type { Cluster, NodePool } from './clusters';
import { cpuToMillis, quantityToBytes } from './primitives';

export interface PoolCapacity {
  /** The extended resource the device plugin advertises for this pool. */
  readonly resource: string;
  /** Schedulable units per node: GPUs, MIG slices or time-slice replicas. */
  readonly unitsPerNode: number;
  /**
   * Nodes that exist for certain: the count, or the minimum of an autoscaling pool. Quotas are
   * guarantees, so they are measured against nodes that are always there.
   */
  readonly guaranteedNodes: number;
  /** unitsPerNode x guaranteedNodes. */
  readonly units: number;
  /** CPU millicores and memory bytes that come with one unit (node share, rounded down). */
  readonly cpuMillisPerUnit: number;
  readonly memoryBytesPerUnit: bigint;
}

export function migSlicesPerGpu(pool: NodePool): number | undefined {
  if (pool.sharing.mode !== 'mig') return undefined;
  return GPU_INFO[pool.gpu.model].migProfiles[pool.sharing.profile];
}

export function gpuResourceName(pool: NodePool): string {
  if (GPU_INFO[pool.gpu.model].vendor === 'amd') return 'amd.com/gpu';
  if (pool.sharing.mode === 'mig' && pool.sharing.strategy === 'mixed')
    return `nvidia.com/mig-${pool.sharing.profile}`;
  return 'nvidia.com/gpu';
}

export function poolCapacity(pool: NodePool): PoolCapacity {
  const perGpu =
    pool.sharing.mode === 'mig'
      ? (migSlicesPerGpu(pool) ?? 0)
      : pool.sharing.mode === 'time-slicing'
        ? pool.sharing.replicas
        : 1;
  const unitsPerNode = pool.gpu.perNode * perGpu;
  const guaranteedNodes = 'count' in pool.nodes ? pool.nodes.count : pool.nodes.min;
  const safeUnits = Math.max(unitsPerNode, 1);
  return {
    resource: gpuResourceName(pool),
    unitsPerNode,
    guaranteedNodes,
    units: unitsPerNode * guaranteedNodes,
    cpuMillisPerUnit: Math.floor(cpuToMillis(pool.cpuPerNode) / safeUnits),
    memoryBytesPerUnit: quantityToBytes(pool.memoryPerNode) / BigInt(safeUnits),
  };
}

export function clusterUnits(cluster: Cluster): number {
  return cluster.nodePools.reduce((sum, p) => sum + poolCapacity(p).units, 0);
}

/** The highest node count a pool may reach (instances to provision on AWS). */
export function maxNodes(pool: NodePool): number {
  return 'count' in pool.nodes ? pool.nodes.count : pool.nodes.max;
}

/**
 * The one list of compute resources a tenant uses on a cluster, and the amounts that come with it.
 *
 * Kueue never admits a pod that requests a resource its ClusterQueue does not cover; the quota
 * admission controller rejects a pod that omits a CPU or memory request when the ResourceQuota
 * tracks one; a LimitRange default outside the quota makes every pod that relies on it fail. So
 * the LimitRange defaults, the ResourceQuota keys and the ClusterQueue `coveredResources` are all
 * derived from {@link tenantResourcePlan} and nothing else.
 */
import { poolCapacity, type GpuQuota, type NodePool, type PoolCapacity } from '../../infra/model';
import type { ClusterContext } from './context';
import { tenantOf } from './context';

export const CPU = 'cpu';
export const MEMORY = 'memory';

/** Default request for containers that state none, capped by the smallest per-unit share. */
const DEFAULT_CPU_REQUEST_MILLIS = 1000;
const DEFAULT_MEMORY_REQUEST_BYTES = 4n << 30n;

export interface PoolShare {
  readonly pool: NodePool;
  readonly capacity: PoolCapacity;
  readonly quota: Required<Pick<GpuQuota, 'nominal' | 'borrowing'>> & { readonly lending?: number };
}

/** Amounts of one resource on one flavor (node pool), in the resource's own unit. */
export interface FlavorAmounts {
  readonly nominal: bigint;
  readonly borrowing: bigint;
  readonly lending?: bigint;
}

export interface TenantResourcePlan {
  /** cpu, memory, then the GPU resource names of the tenant's pools, sorted. */
  readonly resources: readonly string[];
  /** The GPU resource names alone (a subset of `resources`). */
  readonly gpuResources: readonly string[];
  /** The tenant's pools on this cluster, sorted by name. */
  readonly shares: readonly PoolShare[];
  /** resource -> pool name -> amounts (cpu in millicores, memory in bytes, GPUs in units). */
  readonly perFlavor: ReadonlyMap<string, ReadonlyMap<string, FlavorAmounts>>;
  /** resource -> the most the tenant can hold at once: nominal plus borrowing over all pools. */
  readonly ceiling: ReadonlyMap<string, bigint>;
  /** LimitRange defaultRequest for cpu (millicores) and memory (bytes). */
  readonly defaultRequest: { readonly cpuMillis: number; readonly memoryBytes: bigint };
}

function amountsFor(resource: string, share: PoolShare): FlavorAmounts {
  const { capacity, quota } = share;
  const unit =
    resource === CPU
      ? BigInt(capacity.cpuMillisPerUnit)
      : resource === MEMORY
        ? capacity.memoryBytesPerUnit
        : resource === capacity.resource
          ? 1n
          : 0n;
  return {
    nominal: unit * BigInt(quota.nominal),
    borrowing: unit * BigInt(quota.borrowing),
    ...(quota.lending !== undefined ? { lending: unit * BigInt(quota.lending) } : {}),
  };
}

export function tenantResourcePlan(ctx: ClusterContext, tenantId: string): TenantResourcePlan {
  const tenant = tenantOf(ctx, tenantId);
  const quotas = tenant.quotas.gpu[ctx.cluster.id] ?? {};
  const shares: PoolShare[] = ctx.pools
    .filter((pool) => quotas[pool.name] !== undefined)
    .map((pool) => {
      const q = quotas[pool.name];
      return {
        pool,
        capacity: poolCapacity(pool),
        quota: {
          nominal: q.nominal,
          borrowing: q.borrowing,
          ...(q.lending !== undefined ? { lending: q.lending } : {}),
        },
      };
    });
  const gpuResources = [...new Set(shares.map((s) => s.capacity.resource))].sort();
  const resources = [CPU, MEMORY, ...gpuResources];
  const perFlavor = new Map<string, Map<string, FlavorAmounts>>();
  const ceiling = new Map<string, bigint>();
  for (const resource of resources) {
    const byPool = new Map<string, FlavorAmounts>();
    let total = 0n;
    for (const share of shares) {
      const a = amountsFor(resource, share);
      byPool.set(share.pool.name, a);
      total += a.nominal + a.borrowing;
    }
    perFlavor.set(resource, byPool);
    ceiling.set(resource, total);
  }
  const minCpu = Math.min(...shares.map((s) => s.capacity.cpuMillisPerUnit));
  const minMemory = shares.reduce(
    (m, s) => (s.capacity.memoryBytesPerUnit < m ? s.capacity.memoryBytesPerUnit : m),
    DEFAULT_MEMORY_REQUEST_BYTES,
  );
  // A default request never exceeds what the tenant may hold, so a pod relying on it is admittable.
  const cpuCeiling = Number(ceiling.get(CPU) ?? 0n);
  const memoryCeiling = ceiling.get(MEMORY) ?? 0n;
  return {
    resources,
    gpuResources,
    shares,
    perFlavor,
    ceiling,
    defaultRequest: {
      cpuMillis: Math.min(DEFAULT_CPU_REQUEST_MILLIS, Number.isFinite(minCpu) ? minCpu : 0, cpuCeiling),
      memoryBytes: minMemory < memoryCeiling ? minMemory : memoryCeiling,
    },
  };
}

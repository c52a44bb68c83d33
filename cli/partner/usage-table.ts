/** GPU quota held and free per cluster and node pool, counting every tenant. */
import { poolCapacity, quantityToBytes, type Platform } from '../../infra/model';

export interface PoolUsage {
  readonly cluster: string;
  readonly pool: string;
  readonly describe: string;
  readonly capacity: number;
  /** Nominal units held, by tenant id. */
  readonly held: Readonly<Record<string, number>>;
  readonly free: number;
}

export function quotaUsage(platform: Platform): PoolUsage[] {
  const rows: PoolUsage[] = [];
  for (const cluster of platform.clusters) {
    for (const pool of cluster.nodePools) {
      const held: Record<string, number> = {};
      for (const t of platform.tenants) {
        const n = t.quotas.gpu[cluster.id]?.[pool.name]?.nominal;
        if (n) held[t.id] = n;
      }
      const capacity = poolCapacity(pool).units;
      const total = Object.values(held).reduce((a, b) => a + b, 0);
      rows.push({
        cluster: cluster.id,
        pool: pool.name,
        describe: describePool(pool),
        capacity,
        held,
        free: capacity - total,
      });
    }
  }
  return rows;
}

/** Whether a pool's units are whole GPUs, MIG slices or time-slice replicas. */
export function describePool(pool: Platform['clusters'][number]['nodePools'][number]): string {
  const cap = poolCapacity(pool);
  switch (pool.sharing.mode) {
    case 'mig':
      return `${pool.gpu.model} MIG ${pool.sharing.profile} slices (${cap.resource})`;
    case 'time-slicing':
      return `${pool.gpu.model} time-sliced x${pool.sharing.replicas} (${cap.resource})`;
    default:
      return `${pool.gpu.model} GPUs (${cap.resource})`;
  }
}

export interface StorageUsage {
  readonly tier: string;
  readonly site: string;
  readonly capacity: bigint;
  /** Bytes held, by tenant id (tenants homed on the site). */
  readonly held: Readonly<Record<string, bigint>>;
  readonly free: bigint;
}

/** Storage quota held and free per tier and site: a tenant's quota counts on its home site. */
export function storageUsage(platform: Platform): StorageUsage[] {
  const siteOfEnclave = new Map(platform.enclaves.map((e) => [e.id, e.site]));
  const rows: StorageUsage[] = [];
  for (const tier of platform.storageTiers) {
    for (const r of tier.sites) {
      const held: Record<string, bigint> = {};
      for (const t of platform.tenants) {
        const q = t.quotas.storage[tier.id];
        if (q !== undefined && siteOfEnclave.get(t.homeEnclave) === r.site) held[t.id] = quantityToBytes(q);
      }
      const capacity = quantityToBytes(r.capacity);
      rows.push({
        tier: tier.id,
        site: r.site,
        capacity,
        held,
        free: capacity - Object.values(held).reduce((a, b) => a + b, 0n),
      });
    }
  }
  return rows;
}

/** Compute of the inventory: sites, and GPUs, CPU and memory per cluster and node pool. */
import {
  cpuToMillis,
  formatBytes,
  maxNodes,
  poolCapacity,
  quantityToBytes,
  type Cluster,
  type NodePool,
  type Platform,
  type Site,
} from '../../infra/model';
import { sortBy } from './order';
import type { PoolRow, QuantityRange, Range, SiteRow } from './types';

/** Cores when whole, else millicores: `192`, `1500m`. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

export function sumRanges(ranges: readonly Range[]): Range {
  return ranges.reduce(
    (a, r) => ({ guaranteed: a.guaranteed + r.guaranteed, maximum: a.maximum + r.maximum }),
    {
      guaranteed: 0,
      maximum: 0,
    },
  );
}

export function describeSharing(pool: NodePool): string {
  switch (pool.sharing.mode) {
    case 'mig':
      return `mig ${pool.sharing.profile}`;
    case 'time-slicing':
      return `time-slicing x${pool.sharing.replicas}`;
    default:
      return 'exclusive';
  }
}

function cpuRange(pool: NodePool, nodes: Range): QuantityRange {
  const m = cpuToMillis(pool.cpuPerNode);
  return {
    perNode: formatCpu(m),
    guaranteed: formatCpu(m * nodes.guaranteed),
    maximum: formatCpu(m * nodes.maximum),
  };
}

function memoryRange(pool: NodePool, nodes: Range): QuantityRange {
  const b = quantityToBytes(pool.memoryPerNode);
  return {
    perNode: formatBytes(b),
    guaranteed: formatBytes(b * BigInt(nodes.guaranteed)),
    maximum: formatBytes(b * BigInt(nodes.maximum)),
  };
}

export function poolRow(cluster: Cluster, pool: NodePool): PoolRow {
  const cap = poolCapacity(pool);
  const nodes: Range = { guaranteed: cap.guaranteedNodes, maximum: maxNodes(pool) };
  const times = (n: number): Range => ({ guaranteed: n * nodes.guaranteed, maximum: n * nodes.maximum });
  return {
    site: cluster.site,
    cluster: cluster.id,
    enclave: cluster.enclave,
    pool: pool.name,
    model: pool.gpu.model,
    gpusPerNode: pool.gpu.perNode,
    nodes,
    gpus: times(pool.gpu.perNode),
    sharing: describeSharing(pool),
    resource: cap.resource,
    unitsPerNode: cap.unitsPerNode,
    units: times(cap.unitsPerNode),
    cpu: cpuRange(pool, nodes),
    memory: memoryRange(pool, nodes),
  };
}

export function poolRows(platform: Platform): PoolRow[] {
  const rows = platform.clusters.flatMap((c) => c.nodePools.map((p) => poolRow(c, p)));
  return sortBy(
    rows,
    (r) => r.site,
    (r) => r.cluster,
    (r) => r.pool,
  );
}

function whereOf(site: Site): string {
  return site.kind === 'aws' ? site.region : site.location;
}

export function siteRows(platform: Platform, pools: readonly PoolRow[]): SiteRow[] {
  const rows = platform.sites.map((s): SiteRow => ({
    site: s.id,
    kind: s.kind,
    where: whereOf(s),
    enclaves: platform.enclaves
      .filter((e) => e.site === s.id)
      .map((e) => e.id)
      .sort(),
    clusters: platform.clusters
      .filter((c) => c.site === s.id)
      .map((c) => c.id)
      .sort(),
    gpus: sumRanges(pools.filter((p) => p.site === s.id).map((p) => p.gpus)),
  }));
  return sortBy(rows, (r) => r.site);
}

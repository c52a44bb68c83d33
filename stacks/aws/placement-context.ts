/** What every step of the AWS placement reads, indexed once by id, and where it reports problems. */
import type { AwsSite, Cluster, Dataset, Enclave, Grant, Platform, StorageTier } from '../../infra/model';

/** What every step of the placement reads, indexed once, and where it reports. */
export interface PlacementContext {
  readonly platform: Platform;
  readonly problems: string[];
  readonly awsSites: ReadonlyMap<string, AwsSite>;
  readonly enclaves: ReadonlyMap<string, Enclave>;
  readonly tiers: ReadonlyMap<string, StorageTier>;
  readonly datasetsById: ReadonlyMap<string, Dataset>;
  readonly grantsByTenant: ReadonlyMap<string, readonly Grant[]>;
  readonly clustersByEnclave: ReadonlyMap<string, readonly Cluster[]>;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function placementContext(platform: Platform): PlacementContext {
  return {
    platform,
    problems: [],
    awsSites: new Map(platform.sites.filter((s): s is AwsSite => s.kind === 'aws').map((s) => [s.id, s])),
    enclaves: new Map(platform.enclaves.map((e) => [e.id, e])),
    tiers: new Map(platform.storageTiers.map((t) => [t.id, t])),
    datasetsById: new Map(platform.datasets.map((d) => [d.id, d])),
    grantsByTenant: groupBy(platform.grants, (g) => g.tenant),
    clustersByEnclave: groupBy(platform.clusters, (c) => c.enclave),
  };
}

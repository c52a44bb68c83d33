/**
 * `genesis inventory` as a pure function: what a validated platform has (sites, GPUs, CPU and
 * memory per node pool, storage, datasets, tenants, grants, partner contributions, federations).
 * It reads the model only, writes nothing and depends on nothing but its arguments.
 */
import type { Grant, Platform } from '../../infra/model';
import { poolRows, siteRows, sumRanges } from './capacity';
import { datasetGroups, grantRows, storageRows, tenantRows } from './data';
import { federationRows, partnerRows } from './partners';
import type { Inventory } from './types';

export type * from './types';

export interface InventoryInput {
  readonly platform: Platform;
  /** The day grants are judged against (YYYY-MM-DD). */
  readonly now: string;
  /** Grants that had expired on `now` (the loader leaves them out of `platform`). */
  readonly expiredGrants?: readonly Grant[];
}

export function inventory({ platform, now, expiredGrants = [] }: InventoryInput): Inventory {
  const pools = poolRows(platform);
  const grants = grantRows(platform, expiredGrants);
  return {
    platform: platform.metadata.name,
    now,
    sites: siteRows(platform, pools),
    pools,
    totals: { gpus: sumRanges(pools.map((p) => p.gpus)) },
    storage: storageRows(platform),
    datasets: datasetGroups(platform),
    tenants: tenantRows(platform, grants),
    grants,
    partners: partnerRows(platform, pools),
    federations: federationRows(platform),
  };
}

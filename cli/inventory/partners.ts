/** Compute of the inventory: what partner sites contribute, and where federated queues dispatch. */
import { federationPlacement, type Platform } from '../../infra/model';
import { sumRanges } from './capacity';
import { sortBy } from './order';
import type { FederationRow, PartnerRow, PoolRow } from './types';

export function partnerRows(platform: Platform, pools: readonly PoolRow[]): PartnerRow[] {
  const rows: PartnerRow[] = [];
  for (const site of platform.sites) {
    if (site.kind !== 'partner') continue;
    const clusters = [...new Set(pools.filter((p) => p.site === site.id).map((p) => p.cluster))]
      .sort()
      .map((cluster) => {
        const own = pools.filter((p) => p.cluster === cluster);
        return {
          cluster,
          gpus: sumRanges(own.map((p) => p.gpus)),
          units: sumRanges(own.map((p) => p.units)),
        };
      });
    const ids = new Set(clusters.map((c) => c.cluster));
    rows.push({
      site: site.id,
      partner: site.partner,
      agreement: { ...site.agreement },
      ceiling: site.ceiling,
      usPersons: { ...site.usPersons },
      clusters,
      gpus: sumRanges(clusters.map((c) => c.gpus)),
      serves: [...new Set(site.serves)].sort(),
      federations: platform.federations
        .filter((f) => f.workers.some((w) => ids.has(w)))
        .map((f) => f.id)
        .sort(),
    });
  }
  return sortBy(rows, (r) => r.site);
}

export function federationRows(platform: Platform): FederationRow[] {
  const queues = federationPlacement(platform);
  const rows = platform.federations.map((f): FederationRow => ({
    federation: f.id,
    manager: f.manager,
    workers: [...new Set(f.workers)].sort(),
    queues: queues
      .filter((q) => q.federation === f.id)
      .map((q) => ({
        tenant: q.tenant,
        requires: q.requires,
        workers: [...q.workers],
        excluded: q.excluded.map((e) => ({ worker: e.worker, reason: e.reason })),
      })),
  }));
  return sortBy(rows, (r) => r.federation);
}

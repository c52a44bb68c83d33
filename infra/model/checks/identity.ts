/** Ids are unique, and distinct once normalised, in every collection and among a cluster's pools. */
import { normaliseId } from '../primitives';
import type { CheckContext, IssuePath, ModelCheck } from './context';

type Collection = 'sites' | 'enclaves' | 'storageTiers' | 'clusters' | 'datasets' | 'tenants' | 'federations';

const NOUN: Record<Collection, string> = {
  sites: 'site',
  enclaves: 'enclave',
  storageTiers: 'storage tier',
  clusters: 'cluster',
  datasets: 'dataset',
  tenants: 'tenant',
  federations: 'federation',
};

function uniqueNames(
  ctx: CheckContext,
  names: readonly string[],
  path: (i: number) => IssuePath,
  noun: string,
): void {
  const seen = new Map<string, { name: string; at: number }>();
  names.forEach((name, i) => {
    const key = normaliseId(name);
    const prior = seen.get(key);
    if (!prior) {
      seen.set(key, { name, at: i });
    } else if (prior.name === name) {
      ctx.add(path(i), `duplicate ${noun} "${name}" (first declared at index ${prior.at})`);
    } else {
      ctx.add(
        path(i),
        `${noun} "${name}" collides with "${prior.name}" once normalised (names must differ by more than "-")`,
      );
    }
  });
}

export const uniqueIds: ModelCheck = {
  name: 'unique-ids',
  description: 'ids are unique, and still distinct once normalised, in each collection and among node pools',
  run(ctx) {
    const p = ctx.platform;
    for (const c of Object.keys(NOUN) as Collection[]) {
      uniqueNames(
        ctx,
        p[c].map((x) => x.id),
        (i) => [c, i, 'id'],
        NOUN[c],
      );
    }
    p.clusters.forEach((c, ci) =>
      uniqueNames(
        ctx,
        c.nodePools.map((n) => n.name),
        (i) => ['clusters', ci, 'nodePools', i, 'name'],
        'node pool',
      ),
    );
  },
};

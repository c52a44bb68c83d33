/**
 * What every cross-check of the model sees: the platform, the date it is judged at, indexes by id,
 * and the two ways to report (add an issue, or resolve a reference and report it when unknown).
 */
import type { Cluster } from '../clusters';
import type { Dataset } from '../datasets';
import type { Enclave } from '../enclaves';
import type { Platform } from '../platform';
import type { Site } from '../sites';
import type { StorageTier } from '../storage';
import type { Tenant } from '../tenants';

export type IssuePath = ReadonlyArray<string | number>;

export interface ModelIssue {
  readonly path: IssuePath;
  readonly message: string;
}

export interface CrossCheckOptions {
  /** The date grants and agreements are judged against, YYYY-MM-DD (UTC). */
  readonly now: string;
}

export interface CheckContext {
  readonly platform: Platform;
  readonly options: CrossCheckOptions;
  readonly sites: ReadonlyMap<string, Site>;
  readonly enclaves: ReadonlyMap<string, Enclave>;
  readonly tiers: ReadonlyMap<string, StorageTier>;
  readonly clusters: ReadonlyMap<string, Cluster>;
  readonly datasets: ReadonlyMap<string, Dataset>;
  readonly tenants: ReadonlyMap<string, Tenant>;
  add(path: IssuePath, message: string): void;
  /** The item an id names; reports `unknown <noun> "<id>"` at `path` when there is none. */
  ref<T>(map: ReadonlyMap<string, T>, id: string, path: IssuePath, noun: string): T | undefined;
}

/** One named cross-check: the same shape as a policy rule, over the model instead of artifacts. */
export interface ModelCheck {
  readonly name: string;
  /** What the check holds, in one sentence (for docs and for the reader). */
  readonly description: string;
  run(ctx: CheckContext): void;
}

const index = <T extends { id: string }>(items: readonly T[]): Map<string, T> =>
  new Map(items.map((i) => [i.id, i]));

export function checkContext(
  platform: Platform,
  options: CrossCheckOptions,
  issues: ModelIssue[],
): CheckContext {
  const add = (path: IssuePath, message: string): void => {
    issues.push({ path, message });
  };
  return {
    platform,
    options,
    sites: index(platform.sites),
    enclaves: index(platform.enclaves),
    tiers: index(platform.storageTiers),
    clusters: index(platform.clusters),
    datasets: index(platform.datasets),
    tenants: index(platform.tenants),
    add,
    ref(map, id, path, noun) {
      const found = map.get(id);
      if (!found) add(path, `unknown ${noun} "${id}"`);
      return found;
    },
  };
}

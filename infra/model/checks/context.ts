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
import { closest } from '../spelling';
import type { Tenant } from '../tenants';

export type IssuePath = ReadonlyArray<string | number>;

export interface ModelIssue {
  readonly path: IssuePath;
  readonly message: string;
  /** A warning does not make the platform invalid (an expired grant: it gives no access). */
  readonly severity?: 'warning';
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
  warn(path: IssuePath, message: string): void;
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

export interface RunningContext extends CheckContext {
  /** Completes the messages of unknown ids with how often each was named again. */
  finish(): void;
}

export function checkContext(
  platform: Platform,
  options: CrossCheckOptions,
  issues: ModelIssue[],
): RunningContext {
  const add = (path: IssuePath, message: string): void => {
    issues.push({ path, message });
  };
  // An unknown id is one mistake: reported once, where it is first named, with a likely meaning.
  const unknown = new Map<string, { issue: number; others: number; message: string }>();
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
    warn(path, message) {
      issues.push({ path, message, severity: 'warning' });
    },
    ref(map, id, path, noun) {
      const found = map.get(id);
      if (found) return found;
      const prior = unknown.get(`${noun}/${id}`);
      if (prior) prior.others += 1;
      else {
        const meant = closest(id, map.keys());
        const message = `unknown ${noun} "${id}"${meant ? `; did you mean "${meant}"?` : ''}`;
        unknown.set(`${noun}/${id}`, { issue: issues.length, others: 0, message });
        add(path, message);
      }
      return undefined;
    },
    finish() {
      for (const u of unknown.values()) {
        const also = u.others > 0 ? ` (named ${u.others} more time${u.others === 1 ? '' : 's'} below)` : '';
        issues[u.issue] = { ...issues[u.issue], message: `${u.message}${also}` };
      }
    },
  };
}

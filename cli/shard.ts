/**
 * Sharding synthesis and check past one machine (`genesis synth --shard K/N [--site SITE]`).
 *
 * The whole spec is validated first (quotas and capacities are judged over every tenant); then
 * the shard keeps the tenants of its site (when given) and of its range K of N (contiguous, in
 * spec order), with their grants, and everything that belongs to no tenant (sites, enclaves,
 * clusters, datasets, tiers). A shard is thus a smaller valid platform: synthesized and checked
 * on its own, its tenant stacks and tenant files are the same bytes as in the whole synthesis,
 * and its report judges them. `genesis merge` joins the shards' reports (test/cli/shard.test.ts).
 */
import type { Platform } from '../infra/model';
import { UsageError } from './usage';

export interface Shard {
  /** 1-based index of the range. */
  readonly index: number;
  readonly count: number;
  /** Only tenants homed on this site. */
  readonly site?: string;
}

/** Parses `K/N` (1 <= K <= N). */
export function parseShard(value: string | undefined, site: string | undefined): Shard | undefined {
  if (value === undefined) return site === undefined ? undefined : { index: 1, count: 1, site };
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || index < 1 || count < 1 || index > count)
    throw new UsageError(`--shard takes K/N with 1 <= K <= N, e.g. 2/4; got "${value}"`);
  return { index, count, ...(site !== undefined ? { site } : {}) };
}

/** The platform restricted to the tenants (and their grants) of a shard. */
export function shardPlatform(platform: Platform, shard: Shard): Platform {
  if (shard.site !== undefined && !platform.sites.some((s) => s.id === shard.site)) {
    throw new UsageError(
      `--site "${shard.site}" is not a site of the platform (sites: ${platform.sites.map((s) => s.id).join(', ')})`,
    );
  }
  const siteOf = new Map(platform.enclaves.map((e) => [e.id, e.site]));
  const onSite = platform.tenants.filter(
    (t) => shard.site === undefined || siteOf.get(t.homeEnclave) === shard.site,
  );
  const size = Math.ceil(onSite.length / shard.count);
  const tenants = onSite.slice((shard.index - 1) * size, shard.index * size);
  const ids = new Set(tenants.map((t) => t.id));
  return { ...platform, tenants, grants: platform.grants.filter((g) => ids.has(g.tenant)) };
}

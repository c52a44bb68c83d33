/**
 * What the Kubernetes target needs to know about one cluster, resolved once from the model: its
 * site, enclave, node pools, the tenants with GPU quota on it and the storage tiers realised on
 * its site. Every chart reads this instead of searching the platform again.
 */
import type {
  Cluster,
  Dataset,
  Enclave,
  Grant,
  NodePool,
  Platform,
  Site,
  StorageTier,
  Tenant,
  TierRealisation,
} from '../../infra/model';
import { genesisLabels, type LabelScope } from './labels';

export interface TierOnSite {
  readonly tier: StorageTier;
  readonly realisation: TierRealisation;
}

export interface DatasetGrant {
  readonly grant: Grant;
  readonly dataset: Dataset;
  readonly tier: TierOnSite;
}

/**
 * Whether the cluster is an EKS cluster the AWS target builds: on a platform AWS site, or on a
 * partner site hosted in the partner's AWS account (its Partner-<site> stack). Such clusters run
 * the VPC CNI's network policy agent and EKS accelerated AMIs, whatever `cni` the site names.
 */
export function runsOnEks(ctx: Pick<ClusterContext, 'site'>): boolean {
  return ctx.site.kind === 'aws' || (ctx.site.kind === 'partner' && ctx.site.aws !== undefined);
}

export interface ClusterContext {
  readonly platform: Platform;
  readonly cluster: Cluster;
  readonly site: Site;
  readonly enclave: Enclave;
  /** Enclaves of the same site other than the cluster's own, sorted by id. */
  readonly siteEnclaves: readonly Enclave[];
  /** Node pools sorted by name. */
  readonly pools: readonly NodePool[];
  /** Tenants with GPU quota on this cluster, sorted by id. */
  readonly tenants: readonly Tenant[];
  /** Storage tiers realised on the cluster's site, sorted by id. */
  readonly tiers: readonly TierOnSite[];
  /** Labels shared by the cluster's own objects. */
  readonly labels: (
    extra?: Omit<LabelScope, 'cluster' | 'site' | 'enclave' | 'classification'>,
  ) => Record<string, string>;
}

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`the platform has no ${what}; validate it with loadPlatform/parsePlatform first`);
  return value;
}

/** Contexts already resolved, per platform: every chart of a cluster shares one. */
const contexts = new WeakMap<Platform, Map<string, ClusterContext>>();

export function clusterContext(platform: Platform, clusterId: string): ClusterContext {
  let byCluster = contexts.get(platform);
  if (!byCluster) contexts.set(platform, (byCluster = new Map()));
  let ctx = byCluster.get(clusterId);
  if (!ctx) byCluster.set(clusterId, (ctx = resolveClusterContext(platform, clusterId)));
  return ctx;
}

function resolveClusterContext(platform: Platform, clusterId: string): ClusterContext {
  const cluster = must(
    platform.clusters.find((c) => c.id === clusterId),
    `cluster "${clusterId}"`,
  );
  const site = must(
    platform.sites.find((s) => s.id === cluster.site),
    `site "${cluster.site}"`,
  );
  const enclave = must(
    platform.enclaves.find((e) => e.id === cluster.enclave),
    `enclave "${cluster.enclave}"`,
  );
  const tiers = platform.storageTiers
    .flatMap((tier) =>
      tier.sites.filter((r) => r.site === site.id).map((realisation) => ({ tier, realisation })),
    )
    .sort((a, b) => byId(a.tier, b.tier));
  return {
    platform,
    cluster,
    site,
    enclave,
    siteEnclaves: platform.enclaves.filter((e) => e.site === site.id && e.id !== enclave.id).sort(byId),
    pools: [...cluster.nodePools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    tenants: platform.tenants
      .filter((t) => Object.keys(t.quotas.gpu[cluster.id] ?? {}).length > 0)
      .sort(byId),
    tiers,
    labels: (extra = {}) =>
      genesisLabels({
        cluster: cluster.id,
        site: site.id,
        enclave: enclave.id,
        classification: enclave.classification,
        ...extra,
      }),
  };
}

const tenantIndex = new WeakMap<ClusterContext, Map<string, Tenant>>();
const grantIndex = new WeakMap<Platform, Map<string, Grant[]>>();

/** An index of `key`, built on first use and kept as long as the key lives. */
function lookup<K extends object, V>(cache: WeakMap<K, V>, key: K, build: () => V): V {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = build()));
  return v;
}

export function tenantOf(ctx: ClusterContext, tenantId: string): Tenant {
  return must(
    lookup(tenantIndex, ctx, () => new Map(ctx.tenants.map((t) => [t.id, t]))).get(tenantId),
    `tenant "${tenantId}" with GPU quota on cluster "${ctx.cluster.id}"`,
  );
}

/**
 * The datasets a tenant is granted that live on this cluster's site, sorted by dataset id. Only
 * these get volumes: a dataset on another site is not reachable from this cluster.
 */
export function datasetGrants(ctx: ClusterContext, tenantId: string): DatasetGrant[] {
  const out: DatasetGrant[] = [];
  const byTenant = lookup(grantIndex, ctx.platform, () => {
    const m = new Map<string, Grant[]>();
    for (const g of ctx.platform.grants)
      m.set(g.tenant, m.get(g.tenant) ?? [])
        .get(g.tenant)!
        .push(g);
    return m;
  });
  for (const grant of byTenant.get(tenantId) ?? []) {
    const dataset = ctx.platform.datasets.find((d) => d.id === grant.dataset);
    if (!dataset) continue;
    const enclave = ctx.platform.enclaves.find((e) => e.id === dataset.enclave);
    if (!enclave || enclave.site !== ctx.site.id) continue;
    const tier = ctx.tiers.find((t) => t.tier.id === dataset.tier);
    if (!tier) continue;
    out.push({ grant, dataset, tier });
  }
  return out.sort((a, b) => byId(a.dataset, b.dataset));
}

/** The Kubernetes version of a cluster as `major.minor.patch` for schema lookups. */
export function kubernetesVersion(cluster: Cluster): string {
  return `${cluster.kubernetesVersion}.0`;
}

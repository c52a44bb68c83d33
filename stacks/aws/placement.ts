/**
 * Where each part of the platform lands on AWS: which sites get a stack, which datasets become
 * buckets on which site, which tenants get a data role and what that role may reach.
 *
 * The model is target-neutral and allows things this target cannot realise safely (a grant that
 * crosses sites, a dataset on a file system tier at an AWS site). Those are collected and thrown
 * together as an {@link AwsPlacementError}, never dropped: a silently missing grant or bucket would
 * be a platform that differs from its spec.
 */
import {
  federationPaths,
  type AwsSite,
  type FederationPath,
  type Cluster,
  type Dataset,
  type Enclave,
  type Grant,
  type Platform,
  type StorageTier,
  type Tenant,
} from '../../infra/model';
import { datasetBucketName } from '../../infra/contract/names';
import { tenantBucketName, tenantBucketPrefix } from '../../constructs/aws/names';
import {
  checkAccessTags,
  checkAccountRegions,
  checkEnclaves,
  checkNodePools,
  checkTenantCollisions,
} from './placement-checks';
import { groupBy, placementContext, type PlacementContext } from './placement-context';
import { ProblemsError } from '../../infra/util/problems';
import {
  managerTransits,
  placePartners,
  type ManagerGrants,
  type ManagerTransitPlacement,
  type PartnerPlacement,
} from './partner-placement';

/** Storage tier kinds that the AWS target realises as one S3 bucket per dataset. */
export const BUCKET_TIER_KINDS: ReadonlySet<StorageTier['kind']> = new Set(['object', 'archive']);

export interface DatasetPlacement {
  readonly dataset: Dataset;
  readonly site: AwsSite;
  readonly enclave: Enclave;
  readonly tier: StorageTier;
  readonly bucketName: string;
  /**
   * Enclaves on the same site whose networks may reach the bucket: the dataset's own enclave and
   * those it lists in `reachableFrom`. Sorted by id.
   */
  readonly readerEnclaves: readonly Enclave[];
}

export interface GrantPlacement {
  readonly grant: Grant;
  readonly dataset: DatasetPlacement;
}

/** One storage quota of a tenant, as the AWS target realises it. */
export interface TenantStoragePlacement {
  readonly tier: StorageTier;
  /** The quota, as written in the spec (e.g. `200Ti`). Recorded, not enforced, on AWS. */
  readonly capacity: string;
  /**
   * `bucket`: object and archive tiers, a bucket of the tenant's own under its key.
   * `access-point`: `file` tiers, an EFS access point confined to the tenant's directory.
   * `claims-only`: `parallel-fs` tiers, whose FSx file systems the CSI driver creates per claim.
   */
  readonly kind: 'bucket' | 'access-point' | 'claims-only';
  /** Set for `bucket`. */
  readonly bucketName?: string;
}

export interface TenantPlacement {
  readonly tenant: Tenant;
  readonly site: AwsSite;
  readonly homeEnclave: Enclave;
  /** Clusters of the tenant's home enclave: where its workloads run and assume the data role. */
  readonly clusters: readonly Cluster[];
  /**
   * Those of {@link clusters} where the tenant has GPU quota: the Kubernetes target gives it a
   * namespace only there, so only there are its workloads and members mapped (Pod Identity
   * associations, access entries).
   */
  readonly workloadClusters: readonly Cluster[];
  readonly grants: readonly GrantPlacement[];
  /** The tenant's storage quotas on its site, sorted by tier id. */
  readonly storage: readonly TenantStoragePlacement[];
}

export interface SitePlacement {
  readonly site: AwsSite;
  readonly enclaves: readonly Enclave[];
  readonly clusters: readonly Cluster[];
  readonly datasets: readonly DatasetPlacement[];
  /**
   * The enclave whose clusters mount the site's file-system tiers. EFS and FSx live in one VPC,
   * so a site that realises such tiers may run clusters in one enclave only. Undefined when the
   * site has no cluster: file systems nobody can mount are not created.
   */
  readonly storageEnclave?: Enclave;
  /** `file` tiers realised on the site (EFS), sorted by id; empty without a storage enclave. */
  readonly fileTiers: readonly StorageTier[];
  /** `parallel-fs` tiers realised on the site (FSx for Lustre), sorted by id; likewise. */
  readonly lustreTiers: readonly StorageTier[];
  /**
   * Names of the storage buckets tenant stacks of the site hold, sorted: they log to the site's
   * access-log bucket and the site's trail records their object access.
   */
  readonly tenantStorageBuckets: readonly string[];
  /** Federation paths from a manager on this site to a worker off AWS (through a VPN), by worker. */
  readonly federationPaths: readonly FederationPath[];
  /**
   * Transit gateways to workers in partners' AWS accounts: one per manager enclave of the site and
   * partner site, sorted by partner site then manager enclave.
   */
  readonly transits: readonly ManagerTransitPlacement[];
  /**
   * Manager clusters of the site whose federations have workers in partners' AWS accounts, with
   * the worker roles their MultiKueue controller may assume (sorted).
   */
  readonly managerGrants: ManagerGrants;
}

export interface AwsPlacement {
  readonly sites: readonly SitePlacement[];
  readonly tenants: readonly TenantPlacement[];
  /** Partner sites hosted in partners' AWS accounts: a `Partner-<site>` stack each. */
  readonly partners: readonly PartnerPlacement[];
}

/** Whether a tenant has GPU quota on a cluster: the condition for its namespace there. */
export function hasGpuQuota(tenant: Tenant, cluster: Cluster): boolean {
  return Object.keys(tenant.quotas.gpu[cluster.id] ?? {}).length > 0;
}

export class AwsPlacementError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super(
      'the AWS target cannot realise this platform',
      problems.map((message) => ({ message })),
    );
    this.name = 'AwsPlacementError';
  }
}

function placeDatasets(ctx: PlacementContext): Map<string, DatasetPlacement> {
  const datasets = new Map<string, DatasetPlacement>();
  for (const dataset of ctx.platform.datasets) {
    const enclave = ctx.enclaves.get(dataset.enclave);
    const tier = ctx.tiers.get(dataset.tier);
    if (!enclave || !tier)
      throw new Error(
        `dataset "${dataset.id}" refers to an unknown enclave or tier; validate the platform first`,
      );
    const site = ctx.awsSites.get(enclave.site);
    if (!site) continue;
    if (!BUCKET_TIER_KINDS.has(tier.kind)) {
      ctx.problems.push(
        `dataset "${dataset.id}" is on ${tier.kind} tier "${tier.id}" at AWS site "${site.id}"; the AWS target holds datasets only on object and archive tiers, where IAM authorises every request`,
      );
      continue;
    }
    const readerEnclaves = ctx.platform.enclaves
      .filter((e) => e.site === site.id && (e.id === enclave.id || enclave.reachableFrom.includes(e.id)))
      .sort((a, b) => a.id.localeCompare(b.id));
    const bucketName = datasetBucketName(site.account, dataset.id);
    datasets.set(dataset.id, { dataset, site, enclave, tier, bucketName, readerEnclaves });
  }
  return datasets;
}

/** The grants of a tenant that land on its AWS site; cross-site grants are problems. */
function placeGrants(
  ctx: PlacementContext,
  tenant: Tenant,
  homeEnclave: Enclave,
  site: AwsSite | undefined,
  datasets: ReadonlyMap<string, DatasetPlacement>,
): GrantPlacement[] {
  const grants: GrantPlacement[] = [];
  for (const grant of ctx.grantsByTenant.get(tenant.id) ?? []) {
    const placed = datasets.get(grant.dataset);
    const datasetEnclave = ctx.enclaves.get(ctx.datasetsById.get(grant.dataset)?.enclave ?? '');
    const datasetOnAws = datasetEnclave !== undefined && ctx.awsSites.has(datasetEnclave.site);
    if (!site) {
      if (datasetOnAws) {
        ctx.problems.push(
          `tenant "${tenant.id}" works on on-prem site "${homeEnclave.site}" and holds a grant of "${grant.dataset}" at an AWS site; cross-site grants are not supported`,
        );
      }
      continue;
    }
    if (!datasetOnAws || !datasetEnclave || datasetEnclave.site !== site.id) {
      ctx.problems.push(
        `tenant "${tenant.id}" works on AWS site "${site.id}" and holds a grant of "${grant.dataset}", which is held on another site; cross-site grants are not supported`,
      );
      continue;
    }
    if (placed) grants.push({ grant, dataset: placed });
  }
  return grants;
}

function placeStorage(ctx: PlacementContext, tenant: Tenant, site: AwsSite): TenantStoragePlacement[] {
  const storage: TenantStoragePlacement[] = [];
  const quotas = Object.entries(tenant.quotas.storage).sort(([a], [b]) => a.localeCompare(b));
  for (const [tierId, capacity] of quotas) {
    const tier = ctx.tiers.get(tierId);
    if (!tier)
      throw new Error(`tenant "${tenant.id}" has a quota on an unknown tier; validate the platform first`);
    if (!BUCKET_TIER_KINDS.has(tier.kind)) {
      storage.push({ tier, capacity, kind: tier.kind === 'file' ? 'access-point' : 'claims-only' });
      continue;
    }
    const name = `${tenantBucketPrefix(site.account)}${tenant.id}-${tier.id}`;
    if (name.length > 63) {
      ctx.problems.push(
        `tenant "${tenant.id}": the bucket of its quota on tier "${tier.id}" would be named "${name}", longer than the 63 characters S3 allows; shorten the tenant or tier id`,
      );
      continue;
    }
    storage.push({
      tier,
      capacity,
      kind: 'bucket',
      bucketName: tenantBucketName(site.account, tenant.id, tier.id),
    });
  }
  return storage;
}

function placeTenants(
  ctx: PlacementContext,
  datasets: ReadonlyMap<string, DatasetPlacement>,
): TenantPlacement[] {
  const tenants: TenantPlacement[] = [];
  for (const tenant of ctx.platform.tenants) {
    const homeEnclave = ctx.enclaves.get(tenant.homeEnclave);
    if (!homeEnclave)
      throw new Error(`tenant "${tenant.id}" refers to an unknown enclave; validate the platform first`);
    const site = ctx.awsSites.get(homeEnclave.site);
    const grants = placeGrants(ctx, tenant, homeEnclave, site, datasets);
    if (!site) continue;
    const clusters = ctx.clustersByEnclave.get(homeEnclave.id) ?? [];
    const storage = placeStorage(ctx, tenant, site);
    checkAccessTags(ctx, tenant, site, grants);
    const workloadClusters = clusters.filter((c) => hasGpuQuota(tenant, c));
    tenants.push({ tenant, site, homeEnclave, clusters, workloadClusters, grants, storage });
  }
  return tenants;
}

function placeSite(
  ctx: PlacementContext,
  site: AwsSite,
  datasets: ReadonlyMap<string, DatasetPlacement>,
  tenantsOfSite: readonly TenantPlacement[],
  managerGrants: ManagerGrants,
): SitePlacement {
  const platform = ctx.platform;
  const clusters = platform.clusters.filter((c) => c.site === site.id);
  const onSite = (kind: StorageTier['kind']): StorageTier[] =>
    platform.storageTiers
      .filter((t) => t.kind === kind && t.sites.some((r) => r.site === site.id))
      .sort((a, b) => a.id.localeCompare(b.id));
  const clusterEnclaves = [...new Set(clusters.map((c) => c.enclave))].sort();
  const fileSystemTiers = [...onSite('file'), ...onSite('parallel-fs')];
  if (fileSystemTiers.length > 0 && clusterEnclaves.length > 1) {
    ctx.problems.push(
      `AWS site "${site.id}" realises file-system tiers (${fileSystemTiers.map((t) => t.id).join(', ')}) and runs clusters in enclaves ${clusterEnclaves.join(', ')}; EFS and FSx file systems are mounted from one VPC, so clusters of such a site must share one enclave`,
    );
  }
  const storageEnclave = clusterEnclaves.length === 1 ? ctx.enclaves.get(clusterEnclaves[0]) : undefined;
  return {
    site,
    enclaves: platform.enclaves.filter((e) => e.site === site.id),
    clusters,
    datasets: [...datasets.values()].filter((d) => d.site.id === site.id),
    storageEnclave,
    fileTiers: storageEnclave ? onSite('file') : [],
    lustreTiers: storageEnclave ? onSite('parallel-fs') : [],
    tenantStorageBuckets: tenantsOfSite
      .filter((t) => t.clusters.length > 0)
      .flatMap((t) => t.storage.flatMap((s) => (s.bucketName ? [s.bucketName] : [])))
      .sort(),
    federationPaths: federationPaths(platform).filter(
      (p) => p.managerSite === site.id && p.vpnPeer !== undefined && !ctx.awsSites.has(p.workerSite),
    ),
    transits: managerTransits(platform, site.id),
    managerGrants: new Map([...managerGrants].filter(([id]) => clusters.some((c) => c.id === id))),
  };
}

export function placeOnAws(platform: Platform): AwsPlacement {
  const ctx = placementContext(platform);
  checkAccountRegions(ctx);
  const datasets = placeDatasets(ctx);
  checkEnclaves(ctx);
  checkNodePools(ctx);
  const tenants = placeTenants(ctx, datasets);
  checkTenantCollisions(ctx, tenants);
  const tenantsBySite = groupBy(tenants, (t) => t.site.id);
  const { partners, managerGrants } = placePartners(platform, ctx.problems);
  const sites = [...ctx.awsSites.values()].map((site) =>
    placeSite(ctx, site, datasets, tenantsBySite.get(site.id) ?? [], managerGrants),
  );
  if (ctx.problems.length > 0) throw new AwsPlacementError(ctx.problems);
  return { sites, tenants, partners };
}

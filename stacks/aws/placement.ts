/**
 * Where each part of the platform lands on AWS: which sites get a stack, which datasets become
 * buckets on which site, which tenants get a data role and what that role may reach.
 *
 * The model is target-neutral and allows things this target cannot realise safely (a grant that
 * crosses sites, a dataset on a file system tier at an AWS site). Those are collected and thrown
 * together as an {@link AwsPlacementError}, never dropped: a silently missing grant or bucket would
 * be a platform that differs from its spec.
 */
import { GPU_INFO, type AwsSite, type Cluster, type Dataset, type Enclave, type Grant, type Platform, type StorageTier, type Tenant } from '../../infra/model';
import { datasetBucketName } from '../../infra/contract/names';
import { tenantBucketName, tenantPosixId } from '../../constructs/aws/names';
import { MAX_ACCESS_TAGS, dataKeyTagKey, grantTagKey } from '../../constructs/aws/grant-abac';

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
}

export interface AwsPlacement {
  readonly sites: readonly SitePlacement[];
  readonly tenants: readonly TenantPlacement[];
}

/** AWS GovCloud (US) regions. */
export function isGovCloud(region: string): boolean {
  return region.startsWith('us-gov-');
}

/** Whether a tenant has GPU quota on a cluster: the condition for its namespace there. */
export function hasGpuQuota(tenant: Tenant, cluster: Cluster): boolean {
  return Object.keys(tenant.quotas.gpu[cluster.id] ?? {}).length > 0;
}

export class AwsPlacementError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the AWS target cannot realise this platform:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AwsPlacementError';
  }
}

export function placeOnAws(platform: Platform): AwsPlacement {
  const problems: string[] = [];
  const awsSites = new Map(platform.sites.filter((s): s is AwsSite => s.kind === 'aws').map((s) => [s.id, s]));
  const enclaves = new Map(platform.enclaves.map((e) => [e.id, e]));
  const tiers = new Map(platform.storageTiers.map((t) => [t.id, t]));

  // Per account and region the target makes one access-log and one audit bucket; two sites there
  // would claim the same names.
  const byAccountRegion = new Map<string, string>();
  for (const site of awsSites.values()) {
    const key = `${site.account}/${site.region}`;
    const other = byAccountRegion.get(key);
    if (other) problems.push(`AWS sites "${other}" and "${site.id}" share account ${site.account} and region ${site.region}; the AWS target needs one site per account and region`);
    else byAccountRegion.set(key, site.id);
  }

  const datasets = new Map<string, DatasetPlacement>();
  for (const dataset of platform.datasets) {
    const enclave = enclaves.get(dataset.enclave);
    const tier = tiers.get(dataset.tier);
    if (!enclave || !tier) throw new Error(`dataset "${dataset.id}" refers to an unknown enclave or tier; validate the platform first`);
    const site = awsSites.get(enclave.site);
    if (!site) continue;
    if (!BUCKET_TIER_KINDS.has(tier.kind)) {
      problems.push(
        `dataset "${dataset.id}" is on ${tier.kind} tier "${tier.id}" at AWS site "${site.id}"; the AWS target holds datasets only on object and archive tiers, where IAM authorises every request`,
      );
      continue;
    }
    const readerEnclaves = platform.enclaves
      .filter((e) => e.site === site.id && (e.id === enclave.id || enclave.reachableFrom.includes(e.id)))
      .sort((a, b) => a.id.localeCompare(b.id));
    datasets.set(dataset.id, { dataset, site, enclave, tier, bucketName: datasetBucketName(site.account, dataset.id), readerEnclaves });
  }

  for (const enclave of platform.enclaves) {
    const site = awsSites.get(enclave.site);
    if (!site) continue;
    // Export-controlled data (EAR, ITAR) may be handled by US persons only; of AWS regions, only
    // GovCloud is operated by US persons on US soil.
    if (enclave.classification === 'export-controlled' && !isGovCloud(site.region)) {
      problems.push(`export-controlled enclave "${enclave.id}" is on AWS site "${site.id}" in ${site.region}; export-controlled data belongs in an AWS GovCloud (us-gov-*) region`);
    }
    for (const fromId of enclave.reachableFrom) {
      const from = enclaves.get(fromId);
      if (from && from.site !== enclave.site) {
        problems.push(
          `enclave "${enclave.id}" on AWS site "${enclave.site}" is reachable from enclave "${from.id}" on site "${from.site}"; the AWS target joins enclaves of one site only and builds no network between sites`,
        );
      }
    }
  }

  for (const cluster of platform.clusters) {
    if (!awsSites.has(cluster.site)) continue;
    for (const pool of cluster.nodePools) {
      if (GPU_INFO[pool.gpu.model].vendor !== 'nvidia') {
        problems.push(`node pool "${cluster.id}/${pool.name}" has ${pool.gpu.model} GPUs; the AWS target provisions NVIDIA GPU node pools only`);
      }
    }
  }

  const tenants: TenantPlacement[] = [];
  const grantsOf = new Map<string, Grant[]>();
  for (const g of platform.grants) grantsOf.set(g.tenant, grantsOf.get(g.tenant) ?? []).get(g.tenant)!.push(g);
  for (const tenant of platform.tenants) {
    const homeEnclave = enclaves.get(tenant.homeEnclave);
    if (!homeEnclave) throw new Error(`tenant "${tenant.id}" refers to an unknown enclave; validate the platform first`);
    const site = awsSites.get(homeEnclave.site);
    const grants: GrantPlacement[] = [];
    for (const grant of grantsOf.get(tenant.id) ?? []) {
      const placed = datasets.get(grant.dataset);
      const datasetEnclave = enclaves.get(platform.datasets.find((d) => d.id === grant.dataset)?.enclave ?? '');
      const datasetOnAws = datasetEnclave !== undefined && awsSites.has(datasetEnclave.site);
      if (!site) {
        if (datasetOnAws) {
          problems.push(`tenant "${tenant.id}" works on on-prem site "${homeEnclave.site}" and holds a grant of "${grant.dataset}" at an AWS site; cross-site grants are not supported`);
        }
        continue;
      }
      if (!datasetOnAws || !datasetEnclave || datasetEnclave.site !== site.id) {
        problems.push(`tenant "${tenant.id}" works on AWS site "${site.id}" and holds a grant of "${grant.dataset}", which is held on another site; cross-site grants are not supported`);
        continue;
      }
      if (placed) grants.push({ grant, dataset: placed });
    }
    if (!site) continue;
    const clusters = platform.clusters.filter((c) => c.enclave === homeEnclave.id);
    const storage: TenantStoragePlacement[] = [];
    for (const [tierId, capacity] of Object.entries(tenant.quotas.storage).sort(([a], [b]) => a.localeCompare(b))) {
      const tier = tiers.get(tierId);
      if (!tier) throw new Error(`tenant "${tenant.id}" has a quota on an unknown tier; validate the platform first`);
      if (BUCKET_TIER_KINDS.has(tier.kind)) {
        const name = `genesis-tenant-${site.account}-${tenant.id}-${tier.id}`;
        if (name.length > 63) {
          problems.push(`tenant "${tenant.id}": the bucket of its quota on tier "${tier.id}" would be named "${name}", longer than the 63 characters S3 allows; shorten the tenant or tier id`);
          continue;
        }
        storage.push({ tier, capacity, kind: 'bucket', bucketName: tenantBucketName(site.account, tenant.id, tier.id) });
      } else storage.push({ tier, capacity, kind: tier.kind === 'file' ? 'access-point' : 'claims-only' });
    }
    // Grants reach the data as tags of the tenant's data role (grant-abac.ts), which IAM caps.
    const accessTagCount = new Set(grants.flatMap((g) => [grantTagKey(g.dataset.dataset.id), dataKeyTagKey(g.dataset.dataset.classification)])).size;
    if (accessTagCount > MAX_ACCESS_TAGS) {
      problems.push(
        `tenant "${tenant.id}" holds grants of ${new Set(grants.map((g) => g.dataset.dataset.id)).size} datasets on AWS site "${site.id}", which need ${accessTagCount} grant and classification tags on its data role; a role carries at most ${MAX_ACCESS_TAGS} of them (50 IAM tags less the platform's own)`,
      );
    }
    const workloadClusters = clusters.filter((c) => hasGpuQuota(tenant, c));
    tenants.push({ tenant, site, homeEnclave, clusters, workloadClusters, grants, storage });
  }

  // Tenant bucket names join ids with "-", which ids may contain too: refuse two that meet.
  const bucketOwners = new Map<string, string>();
  for (const t of tenants) {
    for (const s of t.storage) {
      if (!s.bucketName) continue;
      const other = bucketOwners.get(s.bucketName);
      if (other) problems.push(`tenant storage bucket "${s.bucketName}" would belong to both ${other} and tenant "${t.tenant.id}" tier "${s.tier.id}"; rename one of them`);
      else bucketOwners.set(s.bucketName, `tenant "${t.tenant.id}" tier "${s.tier.id}"`);
    }
  }
  // EFS access points enforce a POSIX identity per tenant; two tenants must never share one.
  const posixOwners = new Map<number, string>();
  for (const t of tenants.filter((x) => x.storage.some((s) => s.kind === 'access-point'))) {
    const id = tenantPosixId(t.tenant.id);
    const other = posixOwners.get(id);
    if (other) problems.push(`tenants "${other}" and "${t.tenant.id}" would share POSIX id ${id} on file tiers; rename one of them`);
    else posixOwners.set(id, t.tenant.id);
  }


  const sites = [...awsSites.values()].map((site): SitePlacement => {
    const clusters = platform.clusters.filter((c) => c.site === site.id);
    const onSite = (kind: StorageTier['kind']): StorageTier[] =>
      platform.storageTiers.filter((t) => t.kind === kind && t.sites.some((r) => r.site === site.id)).sort((a, b) => a.id.localeCompare(b.id));
    const clusterEnclaves = [...new Set(clusters.map((c) => c.enclave))].sort();
    const fileSystemTiers = [...onSite('file'), ...onSite('parallel-fs')];
    if (fileSystemTiers.length > 0 && clusterEnclaves.length > 1) {
      problems.push(
        `AWS site "${site.id}" realises file-system tiers (${fileSystemTiers.map((t) => t.id).join(', ')}) and runs clusters in enclaves ${clusterEnclaves.join(', ')}; EFS and FSx file systems are mounted from one VPC, so clusters of such a site must share one enclave`,
      );
    }
    const storageEnclave = clusterEnclaves.length === 1 ? enclaves.get(clusterEnclaves[0]) : undefined;
    return {
      site,
      enclaves: platform.enclaves.filter((e) => e.site === site.id),
      clusters,
      datasets: [...datasets.values()].filter((d) => d.site.id === site.id),
      storageEnclave,
      fileTiers: storageEnclave ? onSite('file') : [],
      lustreTiers: storageEnclave ? onSite('parallel-fs') : [],
      tenantStorageBuckets: tenants
        .filter((t) => t.site.id === site.id && t.clusters.length > 0)
        .flatMap((t) => t.storage.flatMap((s) => (s.bucketName ? [s.bucketName] : [])))
        .sort(),
    };
  });
  if (problems.length > 0) throw new AwsPlacementError(problems);

  return { sites, tenants };
}

/**
 * What the AWS target refuses to place, beyond the model's own checks: each function adds the
 * problems it finds to the context; placeOnAws throws them together.
 */
import { GPU_INFO, type AwsSite, type Tenant } from '../../infra/model';
import { tenantPosixId } from '../../constructs/aws/names';
import { MAX_ACCESS_TAGS, dataKeyTagKey, grantTagKey } from '../../constructs/aws/grant-abac';
import type { PlacementContext } from './placement-context';
import type { GrantPlacement, TenantPlacement } from './placement';

/** AWS GovCloud (US) regions. */
export function isGovCloud(region: string): boolean {
  return region.startsWith('us-gov-');
}

/**
 * Per account and region the target makes one access-log and one audit bucket; two sites there
 * would claim the same names.
 */
export function checkAccountRegions(ctx: PlacementContext): void {
  const byAccountRegion = new Map<string, string>();
  for (const site of ctx.awsSites.values()) {
    const key = `${site.account}/${site.region}`;
    const other = byAccountRegion.get(key);
    if (other)
      ctx.problems.push(
        `AWS sites "${other}" and "${site.id}" share account ${site.account} and region ${site.region}; the AWS target needs one site per account and region`,
      );
    else byAccountRegion.set(key, site.id);
  }
}

export function checkEnclaves(ctx: PlacementContext): void {
  for (const enclave of ctx.platform.enclaves) {
    const site = ctx.awsSites.get(enclave.site);
    if (!site) continue;
    // Export-controlled data (EAR, ITAR) may be handled by US persons only; of AWS regions, only
    // GovCloud is operated by US persons on US soil.
    if (enclave.classification === 'export-controlled' && !isGovCloud(site.region)) {
      ctx.problems.push(
        `export-controlled enclave "${enclave.id}" is on AWS site "${site.id}" in ${site.region}; export-controlled data belongs in an AWS GovCloud (us-gov-*) region`,
      );
    }
    for (const fromId of enclave.reachableFrom) {
      const from = ctx.enclaves.get(fromId);
      if (from && from.site !== enclave.site) {
        ctx.problems.push(
          `enclave "${enclave.id}" on AWS site "${enclave.site}" is reachable from enclave "${from.id}" on site "${from.site}"; the AWS target joins enclaves of one site only and builds no network between sites`,
        );
      }
    }
  }
}

export function checkNodePools(ctx: PlacementContext): void {
  const partnerAws = new Set(
    ctx.platform.sites.filter((s) => s.kind === 'partner' && s.aws !== undefined).map((s) => s.id),
  );
  for (const cluster of ctx.platform.clusters) {
    if (!ctx.awsSites.has(cluster.site) && !partnerAws.has(cluster.site)) continue;
    for (const pool of cluster.nodePools) {
      if (GPU_INFO[pool.gpu.model].vendor !== 'nvidia') {
        ctx.problems.push(
          `node pool "${cluster.id}/${pool.name}" has ${pool.gpu.model} GPUs; the AWS target provisions NVIDIA GPU node pools only`,
        );
      }
    }
  }
}

/** Grants reach the data as tags of the tenant's data role (grant-abac.ts), which IAM caps. */
export function checkAccessTags(
  ctx: PlacementContext,
  tenant: Tenant,
  site: AwsSite,
  grants: readonly GrantPlacement[],
): void {
  const keys = grants.flatMap((g) => [
    grantTagKey(g.dataset.dataset.id),
    dataKeyTagKey(g.dataset.dataset.classification),
  ]);
  const accessTagCount = new Set(keys).size;
  if (accessTagCount > MAX_ACCESS_TAGS) {
    ctx.problems.push(
      `tenant "${tenant.id}" holds grants of ${new Set(grants.map((g) => g.dataset.dataset.id)).size} datasets on AWS site "${site.id}", which need ${accessTagCount} grant and classification tags on its data role; a role carries at most ${MAX_ACCESS_TAGS} of them (50 IAM tags less the platform's own)`,
    );
  }
}

/**
 * Tenant bucket names join ids with "-", which ids may contain too: refuse two that meet. EFS
 * access points enforce a POSIX identity per tenant; two tenants must never share one.
 */
export function checkTenantCollisions(ctx: PlacementContext, tenants: readonly TenantPlacement[]): void {
  const bucketOwners = new Map<string, string>();
  for (const t of tenants) {
    for (const s of t.storage) {
      if (!s.bucketName) continue;
      const other = bucketOwners.get(s.bucketName);
      if (other)
        ctx.problems.push(
          `tenant storage bucket "${s.bucketName}" would belong to both ${other} and tenant "${t.tenant.id}" tier "${s.tier.id}"; rename one of them`,
        );
      else bucketOwners.set(s.bucketName, `tenant "${t.tenant.id}" tier "${s.tier.id}"`);
    }
  }
  const posixOwners = new Map<number, string>();
  for (const t of tenants.filter((x) => x.storage.some((s) => s.kind === 'access-point'))) {
    const id = tenantPosixId(t.tenant.id);
    const other = posixOwners.get(id);
    if (other)
      ctx.problems.push(
        `tenants "${other}" and "${t.tenant.id}" would share POSIX id ${id} on file tiers; rename one of them`,
      );
    else posixOwners.set(id, t.tenant.id);
  }
}

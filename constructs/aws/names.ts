/**
 * Physical names of AWS resources that only the AWS target uses. Names shared with other targets
 * (tenant data roles, dataset buckets, stack names, tag keys) live in infra/contract/names.ts.
 *
 * Every name is derived from model ids alone, so that the same spec gives the same names and a
 * stack can refer to a resource of another stack by name instead of by a CloudFormation export.
 */

/** Longest S3 bucket name AWS accepts. */
const MAX_BUCKET_NAME = 63;

function checkedBucketName(name: string): string {
  if (name.length > MAX_BUCKET_NAME)
    throw new Error(`bucket name "${name}" is longer than ${MAX_BUCKET_NAME} characters`);
  return name;
}

/** The bucket that receives S3 server access logs of every bucket of one account and region. */
export function accessLogBucketName(account: string, region: string): string {
  return checkedBucketName(`genesis-${account}-${region}-s3-access-logs`);
}

/** The bucket that receives the CloudTrail record of object access to the datasets of one account and region. */
export function auditBucketName(account: string, region: string): string {
  return checkedBucketName(`genesis-${account}-${region}-dataset-audit`);
}

/** The CloudTrail trail of object access to the dataset buckets of one site. */
export function dataAccessTrailName(siteId: string): string {
  return `genesis-${siteId}-dataset-access`;
}

/** KMS alias of a site's key for one data classification. */
export function dataKeyAlias(siteId: string, classification: string): string {
  return `alias/genesis/${siteId}/data-${classification}`;
}

/** KMS alias of a site's key for its file-system tiers (EFS, FSx for Lustre). */
export function fileSystemKeyAlias(siteId: string): string {
  return `alias/genesis/${siteId}/file-systems`;
}

/** KMS alias of a site's key for logs (VPC flow logs, EKS control-plane logs). */
export function logKeyAlias(siteId: string): string {
  return `alias/genesis/${siteId}/logs`;
}

/** KMS alias of the key that encrypts one cluster's Kubernetes secrets and node volumes. */
export function clusterKeyAlias(siteId: string, clusterId: string): string {
  return `alias/genesis/${siteId}/cluster-${clusterId}`;
}

/** The log group EKS writes control-plane logs to; fixed by EKS, created ahead so it is encrypted. */
/** CloudWatch Logs group the data-access trail also delivers to. */
export function dataAccessTrailLogGroupName(siteId: string): string {
  return `/genesis/${siteId}/cloudtrail/dataset-access`;
}

export function eksControlPlaneLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

export function firewallLogGroupName(siteId: string, enclaveId: string): string {
  return `/genesis/${siteId}/network-firewall/${enclaveId}`;
}

export function flowLogGroupName(siteId: string, enclaveId: string): string {
  return `/genesis/${siteId}/vpc-flow-logs/${enclaveId}`;
}

/** The name of the EKS cluster of a model cluster (cluster ids are unique in a platform). */
export function eksClusterName(clusterId: string): string {
  return clusterId;
}

/** Partition-qualified ARN of an EKS cluster. */
export function eksClusterArn(
  partition: string,
  region: string,
  account: string,
  clusterName: string,
): string {
  return `arn:${partition}:eks:${region}:${account}:cluster/${clusterName}`;
}

/** The role through which a tenant's people reach the Kubernetes API (see TenantMembersRole). */
export function tenantMembersRoleName(tenantId: string): string {
  return `genesis-${tenantId}-members`;
}

/** The permissions boundary of the tenant roles of one site (see TenantBoundary). */
export function tenantBoundaryPolicyName(siteId: string): string {
  return `genesis-${siteId}-tenant-boundary`;
}

/**
 * The bucket of one tenant's own storage on one object or archive tier. Its prefix differs from
 * dataset buckets (`genesis-<account>-<dataset>`), so no dataset id can name it and the tenant
 * boundary can tell the two apart.
 */
export function tenantBucketName(account: string, tenantId: string, tierId: string): string {
  return checkedBucketName(`${tenantBucketPrefix(account)}${tenantId}-${tierId}`);
}

/** Prefix shared by every tenant storage bucket of an account. */
export function tenantBucketPrefix(account: string): string {
  return `genesis-tenant-${account}-`;
}

/** KMS alias of the key that encrypts one tenant's own storage. */
export function tenantKeyAlias(siteId: string, tenantId: string): string {
  return `alias/genesis/${siteId}/tenant-${tenantId}`;
}

/** SSM parameter through which the site publishes the S3 gateway endpoint id of an enclave. */
export function s3EndpointParameterName(siteId: string, enclaveId: string): string {
  return `/genesis/${siteId}/enclave/${enclaveId}/s3-endpoint-id`;
}

/** SSM parameter through which the site publishes the EFS file system id of a file tier. */
export function efsFileSystemParameterName(siteId: string, tierId: string): string {
  return `/genesis/${siteId}/file-tier/${tierId}/efs-file-system-id`;
}

/**
 * SSM parameter through which a manager's site publishes the id of the transit gateway that carries
 * its calls from `managerEnclave` to the workers of partner site `partnerSite` (shared with the
 * partner's account by AWS RAM, read by its stack at deploy time).
 */
export function federationTransitParameterName(partnerSite: string, managerEnclave: string): string {
  return `/genesis/federation/${partnerSite}/${managerEnclave}/transit-gateway-id`;
}

/** Lowest POSIX id of a tenant: above the range the EFS CSI driver gives dynamic access points (50000-7000000). */
export const TENANT_POSIX_ID_BASE = 10_000_000;
const TENANT_POSIX_ID_SPAN = 2_000_000_000;

/**
 * The POSIX uid and gid a tenant's EFS access points enforce: derived from the tenant id alone
 * (FNV-1a), so it never changes when other tenants come or go. Placement refuses two tenants that
 * would share one.
 */
export function tenantPosixId(tenantId: string): number {
  let h = 0x811c9dc5;
  for (const c of tenantId) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return TENANT_POSIX_ID_BASE + (h % TENANT_POSIX_ID_SPAN);
}

/** Where a tenant's directory lives on a file tier's file system. */
export function tenantDirectory(tenantId: string): string {
  return `/tenants/${tenantId}`;
}

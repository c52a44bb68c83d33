/**
 * Physical names of AWS resources that only the AWS target uses. Names shared with other targets
 * (tenant data roles, dataset buckets, stack names, tag keys) live in constructs/common/names.ts.
 *
 * Every name is derived from model ids alone, so that the same spec gives the same names and a
 * stack can refer to a resource of another stack by name instead of by a CloudFormation export.
 */

/** Longest S3 bucket name AWS accepts. */
const MAX_BUCKET_NAME = 63;

function checkedBucketName(name: string): string {
  if (name.length > MAX_BUCKET_NAME) throw new Error(`bucket name "${name}" is longer than ${MAX_BUCKET_NAME} characters`);
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
export function eksClusterArn(partition: string, region: string, account: string, clusterName: string): string {
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

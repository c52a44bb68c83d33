/**
 * Names and labels that more than one target must agree on, so that artifacts of different
 * targets can be joined by a reviewer (and by the cross-target policies) without the model:
 * a Kubernetes ServiceAccount names the IAM role of its tenant; tags and labels name the tenant,
 * dataset, enclave and classification of what they mark.
 *
 * This is a contract about artifacts, not model logic: every function maps ids to names.
 */

export { LABEL, MANAGED_BY, TAG } from './keys';

/** The namespace of a tenant on every cluster. */
export function tenantNamespace(tenantId: string): string {
  return `tenant-${tenantId}`;
}

/** The IAM role through which a tenant's workloads reach its granted datasets. */
export function tenantDataRoleName(tenantId: string): string {
  return `genesis-${tenantId}-data`;
}

/** The AWS partition of a region: GovCloud regions use aws-us-gov. */
export function awsPartition(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** The Kubernetes ServiceAccount that tenant workloads run as to reach datasets. */
export const TENANT_WORKLOAD_SERVICE_ACCOUNT = 'workload';

/** CloudFormation stack names. */
export function siteStackName(siteId: string): string {
  return `Site-${siteId}`;
}
export function tenantStackName(tenantId: string): string {
  return `Tenant-${tenantId}`;
}
/** The stack a partner deploys in its own AWS account for a partner site hosted there. */
export function partnerStackName(siteId: string): string {
  return `Partner-${siteId}`;
}

/**
 * The S3 bucket that holds one dataset on an AWS site: the AWS target creates it, the Kubernetes
 * target mounts it (Mountpoint for S3). Bucket names are global to a partition; the account id
 * keeps them from colliding. Dataset ids are at most 32 characters, so the name is at most 53.
 */
export function datasetBucketName(account: string, datasetId: string): string {
  const name = `genesis-${account}-${datasetId}`;
  if (name.length > 63) throw new Error(`bucket name "${name}" is longer than 63 characters`);
  return name;
}

/**
 * The Kubernetes group of a tenant's members on every cluster: EKS access entries (AWS target)
 * and on-prem OIDC claims map the tenant's people to it; the tenant namespace binds it.
 */
export function tenantGroupName(tenantId: string): string {
  return `${TENANT_GROUP_PREFIX}${tenantId}`;
}

/** Prefix of every tenant's Kubernetes group. */
export const TENANT_GROUP_PREFIX = 'genesis:tenant:';

/**
 * `Tenant-<tenant>`: the tenant's data role and its Pod Identity associations on the clusters of
 * its home enclave, and the members role that maps the tenant's people to the tenant group there.
 *
 * The stack refers to the site's buckets, keys, boundary and clusters by name, not by
 * CloudFormation exports, so a site can change without being pinned by its tenants; it is
 * deployed after its site stack.
 */
import { Stack, Tags, type App } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  TAG,
  TENANT_WORKLOAD_SERVICE_ACCOUNT,
  awsPartition,
  tenantDataRoleName,
  tenantGroupName,
  tenantNamespace,
  tenantStackName,
} from '../../constructs/common/names';
import { dataKeyAlias, eksClusterArn, eksClusterName, tenantBoundaryPolicyName, tenantMembersRoleName } from '../../constructs/aws/names';
import { TenantMembersRole } from '../../constructs/aws/tenant-members-role';
import { TenantDataRole } from '../../constructs/aws/tenant-data-role';
import type { TenantPlacement } from './placement';
import { constructId } from './ids';

/**
 * Tag on a tenant's data role recording its nominal GPU quota, so that the account owners see what
 * the tenant was promised (EKS has no GPU quota) and the cross-target check can compare it with
 * the ClusterQueues. Candidate for the shared TAG contract in constructs/common/names.ts.
 */
export const GPU_QUOTA_TAG = 'genesis:gpu-quota';

/** IAM limit on the length of a tag value. */
const MAX_TAG_VALUE = 256;

/**
 * `<cluster>/<pool>=<nominal>` per pool of the given clusters, sorted, separated by spaces: IAM tag
 * values admit letters, digits, white space and `_ . : / = + - @`, not commas.
 */
export function gpuQuotaTagValue(quotas: Readonly<Record<string, Readonly<Record<string, { readonly nominal: number }>>>>, clusterIds: readonly string[]): string {
  const parts = Object.entries(quotas)
    .filter(([cluster]) => clusterIds.includes(cluster))
    .flatMap(([cluster, pools]) => Object.entries(pools).map(([pool, q]) => `${cluster}/${pool}=${q.nominal}`))
    .sort();
  const value = parts.join(' ');
  if (value.length > MAX_TAG_VALUE) throw new Error(`GPU quota record "${value}" is longer than the ${MAX_TAG_VALUE} characters of an IAM tag value`);
  return value;
}

export class TenantStack extends Stack {
  readonly dataRole: TenantDataRole;
  readonly membersRole: TenantMembersRole;

  constructor(scope: App, placement: TenantPlacement) {
    const { tenant, site } = placement;
    super(scope, tenantStackName(tenant.id), {
      stackName: tenantStackName(tenant.id),
      env: { account: site.account, region: site.region },
      description: `Genesis tenant ${tenant.id} (${tenant.organisation}, agreement ${tenant.agreement.id})`,
      terminationProtection: true,
    });
    Tags.of(this).add(TAG.tenant, tenant.id);
    Tags.of(this).add(TAG.site, site.id);
    Tags.of(this).add(TAG.enclave, placement.homeEnclave.id);
    if (placement.clusters.length === 0) throw new Error(`tenant "${tenant.id}": its home enclave runs no cluster, so it needs no stack`);

    const partition = awsPartition(site.region);
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(
      this,
      'Boundary',
      `arn:${partition}:iam::${site.account}:policy/${tenantBoundaryPolicyName(site.id)}`,
    );
    const clusterNames = placement.clusters.map((c) => eksClusterName(c.id));
    const clusterArns = clusterNames.map((name) => eksClusterArn(partition, site.region, site.account, name));
    this.dataRole = new TenantDataRole(this, 'Data', {
      roleName: tenantDataRoleName(tenant.id),
      namespace: tenantNamespace(tenant.id),
      serviceAccount: TENANT_WORKLOAD_SERVICE_ACCOUNT,
      clusterArns,
      permissionsBoundary: boundary,
      datasets: placement.grants.map((g) => ({
        datasetId: g.dataset.dataset.id,
        bucketName: g.dataset.bucketName,
        keyAlias: dataKeyAlias(site.id, g.dataset.dataset.classification),
        access: g.grant.access,
        expires: g.grant.expires,
      })),
    });

    const quota = gpuQuotaTagValue(tenant.quotas.gpu, placement.clusters.map((c) => c.id));
    if (quota) Tags.of(this.dataRole.role).add(GPU_QUOTA_TAG, quota);

    for (const name of clusterNames) {
      const association = new eks.CfnPodIdentityAssociation(this, `PodIdentity${constructId(name)}`, {
        clusterName: name,
        namespace: tenantNamespace(tenant.id),
        serviceAccount: TENANT_WORKLOAD_SERVICE_ACCOUNT,
        roleArn: this.dataRole.role.roleArn,
      });
      // Associations must not exist before the role can be assumed.
      association.node.addDependency(this.dataRole);
    }

    this.membersRole = new TenantMembersRole(this, 'Members', {
      roleName: tenantMembersRoleName(tenant.id),
      tenantId: tenant.id,
      tenantTagKey: TAG.tenant,
      clusterArns,
      permissionsBoundary: boundary,
    });
    for (const name of clusterNames) {
      // Members enter the cluster as the tenant group and nothing else: no EKS access policy,
      // so what they may do is the RBAC the Kubernetes target binds in the tenant namespace.
      new eks.CfnAccessEntry(this, `Access${constructId(name)}`, {
        clusterName: name,
        principalArn: this.membersRole.role.roleArn,
        kubernetesGroups: [tenantGroupName(tenant.id)],
        type: 'STANDARD',
      });
    }
  }
}

/**
 * `Tenant-<tenant>`: the tenant's data role and its Pod Identity associations on the clusters of
 * its home enclave where it has GPU quota (the Kubernetes target gives it a namespace only there),
 * and the members role that maps the tenant's people to the tenant group on those clusters.
 *
 * The stack refers to the site's buckets, keys, boundary and clusters by name, not by
 * CloudFormation exports, so a site can change without being pinned by its tenants; it is
 * deployed after its site stack.
 */
import { CfnOutput, Tags, type App } from 'aws-cdk-lib';
import { PlatformStack } from './platform-stack';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  TAG,
  TENANT_WORKLOAD_SERVICE_ACCOUNT,
  awsPartition,
  tenantDataRoleName,
  tenantGroupName,
  tenantNamespace,
  tenantStackName,
} from '../../infra/contract/names';
import {
  accessLogBucketName,
  dataKeyAlias,
  efsFileSystemParameterName,
  eksClusterArn,
  eksClusterName,
  s3EndpointParameterName,
  tenantBoundaryPolicyName,
  tenantDirectory,
  tenantKeyAlias,
  tenantMembersRoleName,
  tenantPosixId,
} from '../../constructs/aws/names';
import { accessEndsAt } from '../../constructs/aws/tenant-data-role';
import { TenantBucket } from '../../constructs/aws/tenant-bucket';
import { TenantFileAccessPoint } from '../../constructs/aws/tenant-file-access-point';
import { TenantKey } from '../../constructs/aws/tenant-key';
import { TenantMembersRole } from '../../constructs/aws/tenant-members-role';
import { TenantDataRole } from '../../constructs/aws/tenant-data-role';
import { accessTags } from '../../constructs/aws/grant-abac';
import type { TenantPlacement } from './placement';
import { constructId } from '../../constructs/aws/ids';

/**
 * Tag on a tenant's data role recording its nominal GPU quota, so that the account owners see what
 * the tenant was promised (EKS has no GPU quota) and the cross-target check can compare it with
 * the ClusterQueues.
 */
export const GPU_QUOTA_TAG = TAG.gpuQuota;

/**
 * Tag on a tenant's data role recording every storage quota of the tenant on its site
 * (`<tier>=<capacity>`, sorted, space-separated): neither S3 nor EFS nor FSx can enforce them.
 */
export const STORAGE_QUOTAS_TAG = TAG.storageQuotas;

/** `<tier>=<capacity>` per quota, sorted by tier, separated by spaces. */
export function storageQuotaTagValue(
  storage: ReadonlyArray<{ readonly tier: { readonly id: string }; readonly capacity: string }>,
): string {
  const value = [...storage]
    .map((s) => `${s.tier.id}=${s.capacity}`)
    .sort()
    .join(' ');
  if (value.length > MAX_TAG_VALUE)
    throw new Error(
      `storage quota record "${value}" is longer than the ${MAX_TAG_VALUE} characters of an IAM tag value`,
    );
  return value;
}

/** IAM limit on the length of a tag value. */
const MAX_TAG_VALUE = 256;

/**
 * `<cluster>/<pool>=<nominal>` per pool of the given clusters, sorted, separated by spaces: IAM tag
 * values admit letters, digits, white space and `_ . : / = + - @`, not commas.
 */
export function gpuQuotaTagValue(
  quotas: Readonly<Record<string, Readonly<Record<string, { readonly nominal: number }>>>>,
  clusterIds: readonly string[],
): string {
  const parts = Object.entries(quotas)
    .filter(([cluster]) => clusterIds.includes(cluster))
    .flatMap(([cluster, pools]) =>
      Object.entries(pools).map(([pool, q]) => `${cluster}/${pool}=${q.nominal}`),
    )
    .sort();
  const value = parts.join(' ');
  if (value.length > MAX_TAG_VALUE)
    throw new Error(
      `GPU quota record "${value}" is longer than the ${MAX_TAG_VALUE} characters of an IAM tag value`,
    );
  return value;
}

export class TenantStack extends PlatformStack {
  readonly dataRole: TenantDataRole;
  readonly membersRole: TenantMembersRole;
  /** The tenant's own key; set when the tenant has storage on an object or archive tier. */
  readonly key?: TenantKey;
  /** The tenant's buckets by tier id. */
  readonly buckets: ReadonlyMap<string, TenantBucket>;
  /** The tenant's EFS access points by tier id. */
  readonly accessPoints: ReadonlyMap<string, TenantFileAccessPoint>;

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
    if (placement.clusters.length === 0)
      throw new Error(`tenant "${tenant.id}": its home enclave runs no cluster, so it needs no stack`);

    const partition = awsPartition(site.region);
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(
      this,
      'Boundary',
      `arn:${partition}:iam::${site.account}:policy/${tenantBoundaryPolicyName(site.id)}`,
    );
    const clusterNames = placement.clusters.map((c) => eksClusterName(c.id));
    const clusterArns = clusterNames.map((name) => eksClusterArn(partition, site.region, site.account, name));
    this.dataRole = this.addDataRole(placement, { clusterArns, boundary });

    // Only where the tenant has GPU quota: elsewhere the Kubernetes target makes no namespace for it.
    const workloadClusterNames = placement.workloadClusters.map((c) => eksClusterName(c.id));
    this.addPodIdentityAssociations(tenant.id, workloadClusterNames);

    this.membersRole = new TenantMembersRole(this, 'Members', {
      roleName: tenantMembersRoleName(tenant.id),
      tenantId: tenant.id,
      tenantTagKey: TAG.tenant,
      clusterArns,
      permissionsBoundary: boundary,
    });
    this.addAccessEntries(tenant.id, workloadClusterNames);

    const storage = this.addStorage(placement);
    this.key = storage.key;
    this.buckets = storage.buckets;
    this.accessPoints = storage.accessPoints;
  }

  /**
   * The tenant's data role, tagged with the grants the dataset bucket and key policies admit by
   * (ABAC, see grant-abac.ts) and with the tenant's nominal GPU quota.
   */
  private addDataRole(
    placement: TenantPlacement,
    access: { readonly clusterArns: readonly string[]; readonly boundary: iam.IManagedPolicy },
  ): TenantDataRole {
    const { tenant, site } = placement;
    const dataRole = new TenantDataRole(this, 'Data', {
      roleName: tenantDataRoleName(tenant.id),
      namespace: tenantNamespace(tenant.id),
      serviceAccount: TENANT_WORKLOAD_SERVICE_ACCOUNT,
      clusterArns: access.clusterArns,
      permissionsBoundary: access.boundary,
      datasets: placement.grants.map((g) => ({
        datasetId: g.dataset.dataset.id,
        bucketName: g.dataset.bucketName,
        keyAlias: dataKeyAlias(site.id, g.dataset.dataset.classification),
        access: g.grant.access,
        expires: g.grant.expires,
      })),
    });

    // The grant tags the dataset bucket and key policies admit by (ABAC, see grant-abac.ts).
    const tags = accessTags(
      placement.grants.map((g) => ({
        datasetId: g.dataset.dataset.id,
        classification: g.dataset.dataset.classification,
        access: g.grant.access,
      })),
    );
    for (const [key, value] of Object.entries(tags)) Tags.of(dataRole.role).add(key, value);

    const quota = gpuQuotaTagValue(
      tenant.quotas.gpu,
      placement.clusters.map((c) => c.id),
    );
    if (quota) Tags.of(dataRole.role).add(GPU_QUOTA_TAG, quota);
    return dataRole;
  }

  /** A Pod Identity association of the tenant's workload service account per named cluster. */
  private addPodIdentityAssociations(tenantId: string, clusterNames: readonly string[]): void {
    for (const name of clusterNames) {
      const association = new eks.CfnPodIdentityAssociation(this, `PodIdentity${constructId(name)}`, {
        clusterName: name,
        namespace: tenantNamespace(tenantId),
        serviceAccount: TENANT_WORKLOAD_SERVICE_ACCOUNT,
        roleArn: this.dataRole.role.roleArn,
      });
      // Associations must not exist before the role can be assumed.
      association.node.addDependency(this.dataRole);
    }
  }

  /** An access entry of the members role per named cluster. */
  private addAccessEntries(tenantId: string, clusterNames: readonly string[]): void {
    for (const name of clusterNames) {
      // Members enter the cluster as the tenant group and nothing else: no EKS access policy,
      // so what they may do is the RBAC the Kubernetes target binds in the tenant namespace.
      new eks.CfnAccessEntry(this, `Access${constructId(name)}`, {
        clusterName: name,
        principalArn: this.membersRole.role.roleArn,
        kubernetesGroups: [tenantGroupName(tenantId)],
        type: 'STANDARD',
      });
    }
  }

  /**
   * The tenant's own storage on its site: a bucket per object or archive tier under the tenant's
   * key, an EFS access point per file tier. Only the data role uses the data: members reach the
   * Kubernetes API, not storage, and the buckets admit requests only from the tenant's enclave.
   */
  private addStorage(placement: TenantPlacement): {
    key?: TenantKey;
    buckets: Map<string, TenantBucket>;
    accessPoints: Map<string, TenantFileAccessPoint>;
  } {
    const { tenant, site } = placement;
    const buckets = new Map<string, TenantBucket>();
    const accessPoints = new Map<string, TenantFileAccessPoint>();
    if (placement.storage.length > 0)
      Tags.of(this.dataRole.role).add(STORAGE_QUOTAS_TAG, storageQuotaTagValue(placement.storage));

    const bucketQuotas = placement.storage.filter((s) => s.kind === 'bucket');
    let key: TenantKey | undefined;
    if (bucketQuotas.length > 0) {
      const until = accessEndsAt(tenant.agreement.expires);
      key = new TenantKey(this, 'Key', {
        alias: tenantKeyAlias(site.id, tenant.id),
        description: `Own storage of tenant ${tenant.id} on site ${site.id}`,
        users: [this.dataRole.role],
        bucketNames: bucketQuotas.map((s) => s.bucketName!),
        usableUntil: until,
      });
      const accessLogs = s3.Bucket.fromBucketName(
        this,
        'AccessLogs',
        accessLogBucketName(site.account, site.region),
      );
      const endpoint = ssm.StringParameter.valueForStringParameter(
        this,
        s3EndpointParameterName(site.id, placement.homeEnclave.id),
      );
      for (const s of bucketQuotas) {
        const bucket = new TenantBucket(this, `Storage${constructId(s.tier.id)}`, {
          bucketName: s.bucketName!,
          encryptionKey: key.key,
          tenantRoles: [this.dataRole.role],
          accessUntil: until,
          objectLock: s.tier.objectLock,
          noncurrentVersionRetentionDays: s.tier.retentionDays,
          transitionToGlacierDays: s.tier.transitionToGlacierDays,
          accessLogsBucket: accessLogs,
          allowedVpcEndpointIds: [endpoint],
          quota: s.capacity,
        });
        Tags.of(bucket).add(TAG.tier, s.tier.id);
        buckets.set(s.tier.id, bucket);
      }
    }

    for (const s of placement.storage.filter((x) => x.kind === 'access-point')) {
      const ap = new TenantFileAccessPoint(this, `Files${constructId(s.tier.id)}`, {
        fileSystemId: ssm.StringParameter.valueForStringParameter(
          this,
          efsFileSystemParameterName(site.id, s.tier.id),
        ),
        path: tenantDirectory(tenant.id),
        posixId: tenantPosixId(tenant.id),
        quota: s.capacity,
      });
      Tags.of(ap).add(TAG.tier, s.tier.id);
      accessPoints.set(s.tier.id, ap);
      new CfnOutput(this, `FileAccessPointId${constructId(s.tier.id)}`, {
        value: ap.accessPoint.attrAccessPointId,
        description: `EFS access point of tenant ${tenant.id} on tier ${s.tier.id} (${tenantDirectory(tenant.id)})`,
      });
    }
    return { key, buckets, accessPoints };
  }
}

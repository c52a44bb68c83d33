/**
 * A bucket of one tenant's own storage on an object or archive tier: the same protections as a
 * dataset bucket (SSE-KMS with bucket keys, TLS 1.2 only, public access blocked, ACLs off, access
 * logs, versioning, retention of old versions, object lock where the tier has one, data requests
 * only through the tenant's enclave network), under the tenant's own key, and reachable by the
 * tenant's roles only: the bucket policy denies every other principal of the account and grants the
 * tenant's roles the object actions of a write grant until the tenant's agreement ends.
 *
 * Bucket and policy are retained when the tenant stack is deleted: the data stays, encrypted under
 * the tenant's key, behind the same denials. The storage quota is recorded in a tag; S3 cannot
 * enforce a size limit on a bucket.
 */
import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DATA_PLANE_ACTIONS, DatasetBucket } from './dataset-bucket';
import { BOUNDARY_OBJECT_ACTIONS } from './tenant-boundary';
import { TAG } from '../../infra/contract';
import { acknowledge } from './acknowledge';

/** Tag recording the storage quota of the tenant on the tier (a Kubernetes quantity, e.g. `200Ti`). */
export const STORAGE_QUOTA_TAG = TAG.storageQuota;

export interface TenantBucketProps {
  readonly bucketName: string;
  readonly encryptionKey: kms.IKey;
  /** The tenant's roles: the only principals that may touch the data. */
  readonly tenantRoles: readonly iam.IRole[];
  /** The end of the tenant's agreement (ISO 8601, aws:CurrentTime): the roles' access ends there. */
  readonly accessUntil: string;
  /** Object lock of the tier (archive tiers). */
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /** Days a noncurrent (overwritten or deleted) version is kept. */
  readonly noncurrentVersionRetentionDays: number;
  readonly transitionToGlacierDays?: number;
  readonly accessLogsBucket: s3.IBucket;
  /** S3 gateway endpoints of the tenant's enclave: data requests come only through them. */
  readonly allowedVpcEndpointIds: readonly string[];
  /** The tenant's quota on the tier, recorded in {@link STORAGE_QUOTA_TAG}. */
  readonly quota: string;
}

export class TenantBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: TenantBucketProps) {
    super(scope, id);
    if (props.tenantRoles.length === 0)
      throw new Error(`bucket "${props.bucketName}": tenantRoles must not be empty`);
    this.bucket = new DatasetBucket(this, 'Storage', {
      bucketName: props.bucketName,
      encryptionKey: props.encryptionKey,
      // Always versioned: a tenant's overwrite or delete stays recoverable for the tier's retention.
      versioned: true,
      objectLock: props.objectLock,
      noncurrentVersionRetentionDays: props.noncurrentVersionRetentionDays,
      transitionToGlacierDays: props.transitionToGlacierDays,
      accessLogsBucket: props.accessLogsBucket,
      allowedVpcEndpointIds: props.allowedVpcEndpointIds,
    }).bucket;
    Tags.of(this.bucket).add(STORAGE_QUOTA_TAG, props.quota);
    acknowledge(this.bucket, {
      id: '@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
      reason:
        "The access-log bucket belongs to the site stack, whose policy admits log delivery from the account's tenant storage buckets by name prefix (AccessLogBucket otherStackBucketPrefix).",
    });

    const roleArns = props.tenantRoles.map((r) => r.roleArn);
    const objects = [this.bucket.bucketArn, this.bucket.arnForObjects('*')];
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDataAccessToOtherPrincipals',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...DATA_PLANE_ACTIONS],
        resources: objects,
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': roleArns },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    const until = { DateLessThan: { 'aws:CurrentTime': props.accessUntil } };
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TenantRolesList',
        principals: props.tenantRoles.map((r) => new iam.ArnPrincipal(r.roleArn)),
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [this.bucket.bucketArn],
        conditions: until,
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TenantRolesObjects',
        principals: props.tenantRoles.map((r) => new iam.ArnPrincipal(r.roleArn)),
        actions: [...BOUNDARY_OBJECT_ACTIONS],
        resources: [this.bucket.arnForObjects('*')],
        conditions: until,
      }),
    );
    // The denials above must outlive the stack with the data they protect.
    this.bucket.policy?.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

/**
 * The S3 bucket of one dataset, behind a network data perimeter: objects can be read or written
 * only through the S3 gateway endpoints of the enclaves allowed to reach the dataset, only over
 * TLS, and only encrypted with the dataset's KMS key.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { grantDenyStatements, type GrantAbac } from './grant-abac';
import { acknowledge } from './acknowledge';

/** Object-level (data plane) actions that the perimeter governs. Bucket configuration is left to
 *  IAM, so that CloudFormation and administrators can still manage a bucket from outside. */
export const DATA_PLANE_ACTIONS: readonly string[] = [
  's3:AbortMultipartUpload',
  's3:DeleteObject*',
  's3:GetObject*',
  's3:ListBucket*',
  's3:ListMultipartUploadParts',
  's3:PutObject*',
  's3:RestoreObject',
];

/** Data-plane actions that only read. */
export const DATA_READ_ACTIONS: readonly string[] = DATA_PLANE_ACTIONS.filter(
  (a) => a.startsWith('s3:GetObject') || a.startsWith('s3:ListBucket'),
);
/** Data-plane actions that change data (or serve only a writer). */
export const DATA_WRITE_ACTIONS: readonly string[] = DATA_PLANE_ACTIONS.filter(
  (a) => !DATA_READ_ACTIONS.includes(a),
);

export interface DatasetBucketProps {
  readonly bucketName: string;
  readonly encryptionKey: kms.IKey;
  /** Keep every version of every object. @default false */
  readonly versioned?: boolean;
  /** Default object-lock retention; requires `versioned`. */
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /** Days a noncurrent (overwritten or deleted) version is kept. */
  readonly noncurrentVersionRetentionDays: number;
  /** Days after which objects move to Glacier Instant Retrieval. */
  readonly transitionToGlacierDays?: number;
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Ids of the VPC endpoints through which data requests are admitted. At least one: a dataset
   * nobody can reach from a network is a mistake, not a secure default.
   */
  readonly allowedVpcEndpointIds: readonly string[];
  /**
   * Admit data requests only from principals that hold a grant of this dataset (ABAC, see
   * grant-abac.ts) and the break-glass role. Unset for buckets whose policy names its one user
   * role instead (tenant storage).
   */
  readonly grantAbac?: GrantAbac;
}

export class DatasetBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DatasetBucketProps) {
    super(scope, id);
    if (props.allowedVpcEndpointIds.length === 0)
      throw new Error(`bucket "${props.bucketName}": allowedVpcEndpointIds must not be empty`);
    if (props.objectLock && !props.versioned)
      throw new Error(`bucket "${props.bucketName}": object lock requires versioning`);

    const { transitions, noncurrentTransitions } = glacierTransitions(props);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: props.versioned ?? false,
      objectLockEnabled: props.objectLock !== undefined,
      objectLockDefaultRetention: objectLockRetention(props.objectLock),
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'retention',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          noncurrentVersionExpiration: props.versioned
            ? Duration.days(props.noncurrentVersionRetentionDays)
            : undefined,
          transitions: transitions.length ? transitions : undefined,
          noncurrentVersionTransitions: noncurrentTransitions.length ? noncurrentTransitions : undefined,
        },
      ],
    });

    acknowledge(this.bucket, {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        "The platform has one AWS site per account and region and the model names no second region whose keys, perimeter and classification controls a replica would need; durability comes from S3's three-zone storage, versioning, noncurrent-version retention and, for archive tiers, object lock. Replication to an uncontrolled region would move data out of its enclave.",
    });

    this.addPerimeterPolicy(props);
  }

  /**
   * The bucket policy of the perimeter: data only through the allowed endpoints (and, with
   * `grantAbac`, only by grant holders), objects only under the dataset's KMS key.
   */
  private addPerimeterPolicy(props: DatasetBucketProps): void {
    const everyone = new iam.AnyPrincipal();
    const objects = [this.bucket.bucketArn, this.bucket.arnForObjects('*')];
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDataAccessOutsideEnclaveNetworks',
        effect: iam.Effect.DENY,
        principals: [everyone],
        actions: [...DATA_PLANE_ACTIONS],
        resources: objects,
        conditions: {
          StringNotEqualsIfExists: { 'aws:SourceVpce': [...props.allowedVpcEndpointIds] },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    if (props.grantAbac) {
      for (const st of grantDenyStatements(props.grantAbac, {
        readActions: DATA_READ_ACTIONS,
        writeActions: DATA_WRITE_ACTIONS,
        resources: objects,
        excludeServices: true,
      })) {
        this.bucket.addToResourcePolicy(st);
      }
    }
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOtherKmsKeys',
        effect: iam.Effect.DENY,
        principals: [everyone],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: {
          StringNotEqualsIfExists: {
            's3:x-amz-server-side-encryption-aws-kms-key-id': props.encryptionKey.keyArn,
          },
        },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyCustomerProvidedKeys',
        effect: iam.Effect.DENY,
        principals: [everyone],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      }),
    );
  }
}

/** Lifecycle transitions to Glacier Instant Retrieval, of current and (if versioned) noncurrent versions. */
function glacierTransitions(props: DatasetBucketProps): {
  transitions: s3.Transition[];
  noncurrentTransitions: s3.NoncurrentVersionTransition[];
} {
  const transitions: s3.Transition[] = [];
  const noncurrentTransitions: s3.NoncurrentVersionTransition[] = [];
  if (props.transitionToGlacierDays !== undefined) {
    // Instant Retrieval, not Flexible Retrieval or Deep Archive: granted tenants read archived
    // datasets with GetObject, which fails on objects that need a restore first.
    transitions.push({
      storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
      transitionAfter: Duration.days(props.transitionToGlacierDays),
    });
    if (props.versioned) {
      noncurrentTransitions.push({
        storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
        transitionAfter: Duration.days(props.transitionToGlacierDays),
      });
    }
  }
  return { transitions, noncurrentTransitions };
}

/** Default object-lock retention of the bucket, if it has object lock. */
function objectLockRetention(
  objectLock: DatasetBucketProps['objectLock'],
): s3.ObjectLockRetention | undefined {
  if (!objectLock) return undefined;
  return objectLock.mode === 'COMPLIANCE'
    ? s3.ObjectLockRetention.compliance(Duration.days(objectLock.days))
    : s3.ObjectLockRetention.governance(Duration.days(objectLock.days));
}

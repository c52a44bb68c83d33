/** The bucket that receives S3 server access logs of one account and region. */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

export interface AccessLogBucketProps {
  readonly bucketName: string;
  /** Days a log object is kept. @default 365 */
  readonly retentionDays?: number;
  /**
   * Buckets of this account in other stacks whose names start with this prefix may deliver their
   * logs, each under a prefix of its own name (tenant storage buckets, created after the site).
   */
  readonly otherStackBucketPrefix?: string;
}

export class AccessLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const days = props.retentionDays ?? 365;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      // S3 delivers server access logs only to buckets encrypted with SSE-S3, not SSE-KMS.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(days),
          noncurrentVersionExpiration: Duration.days(days),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    if (props.otherStackBucketPrefix) {
      const { account, partition } = Stack.of(this);
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'LogsOfBucketsInOtherStacks',
          principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(`${props.otherStackBucketPrefix}*`)],
          conditions: {
            ArnLike: { 'aws:SourceArn': `arn:${partition}:s3:::${props.otherStackBucketPrefix}*` },
            StringEquals: { 'aws:SourceAccount': account },
          },
        }),
      );
    }
    acknowledge(
      this.bucket,
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'S3 delivers server access logs only to buckets encrypted with SSE-S3 (AES-256); SSE-KMS destinations are refused by the logging service.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'Access logs are an operational record kept one year, versioned, in three availability zones of the region; the platform has one AWS site per account and region, with no second region to replicate to under the same controls.',
      },
    );
  }
}

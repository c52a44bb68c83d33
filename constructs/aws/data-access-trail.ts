/**
 * An audit record of every object read and write on the dataset buckets of one site: a CloudTrail
 * trail of S3 data events (no management events, which an organisation trail records), delivered
 * with digest files for integrity to a bucket of its own that is encrypted, versioned and locked
 * for the retention period, so the record of who read a dataset cannot be rewritten. The trail also
 * delivers to an encrypted CloudWatch Logs group, where metric filters and alarms can watch it.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

export interface DataAccessTrailProps {
  readonly trailName: string;
  readonly bucketName: string;
  /** Buckets whose object-level events are recorded. */
  readonly buckets: readonly s3.IBucket[];
  /**
   * Buckets in other stacks whose object-level events are recorded too, by name prefix (tenant
   * storage buckets, deployed after the site and coming and going with their tenants). @default none
   */
  readonly otherStackBucketPrefix?: string;
  /** Key of the log files and the audit bucket (its policy must let CloudTrail use it). */
  readonly key: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
  /** Days log files are kept, and locked. @default 365 */
  readonly retentionDays?: number;
  /** CloudWatch Logs group of the trail, encrypted with `key` (its policy must let CloudWatch Logs use it). */
  readonly logGroupName: string;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logGroupRetention?: logs.RetentionDays;
}

export class DataAccessTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly bucket: s3.Bucket;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DataAccessTrailProps) {
    super(scope, id);
    this.bucket = this.addBucket(props);
    // The trail's ARN is known from its name, so the key and bucket policies can name it before
    // it exists (they must: CloudTrail checks both when the trail is created).
    const { partition, region, account } = Stack.of(this);
    const trailArn = `arn:${partition}:cloudtrail:${region}:${account}:trail/${props.trailName}`;
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    allowTrailToUseKey(props.key, trailArn, cloudTrail);
    // Only this trail may deliver here (no confused deputy through another account's trail).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyThisTrailDelivers',
        effect: iam.Effect.DENY,
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:SourceArn': trailArn } },
      }),
    );
    this.logGroup = this.addLogGroup(props);
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: props.trailName,
      bucket: this.bucket,
      encryptionKey: props.key,
      enableFileValidation: true,
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
      // No management events (the organisation trail records those): the advanced selector below
      // is the trail's only selector, and it selects object-level data events.
    });
    this.acknowledgeLogsRolePolicy();
    this.selectObjectEvents(props, partition);
  }

  /** The audit bucket: encrypted, versioned and locked (governance mode) for the retention period. */
  private addBucket(props: DataAccessTrailProps): s3.Bucket {
    const days = props.retentionDays ?? 365;
    const bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      // Governance, not compliance: a security officer holding s3:BypassGovernanceRetention can
      // still remove a record a court orders removed; nobody else can before its time.
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(days)),
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'retention',
          expiration: Duration.days(days),
          noncurrentVersionExpiration: Duration.days(days),
        },
      ],
    });
    acknowledge(bucket, {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'The audit record is locked (governance mode) and versioned for its retention, with CloudTrail digest files proving integrity; the platform has one AWS site per account and region, so there is no second region under the same controls to replicate to.',
    });
    return bucket;
  }

  /** The trail's only selector: every object-level data event on the recorded buckets. */
  private selectObjectEvents(props: DataAccessTrailProps, partition: string): void {
    // Advanced selectors, which match object ARNs by prefix: a bucket of another stack is recorded
    // from its first object on, without the site naming it or being redeployed for it.
    const prefixes = [
      ...props.buckets.map((b) => `${b.bucketArn}/`),
      ...(props.otherStackBucketPrefix ? [`arn:${partition}:s3:::${props.otherStackBucketPrefix}`] : []),
    ];
    if (prefixes.length === 0) throw new Error(`trail "${props.trailName}": no bucket to record`);
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.advancedEventSelectors = [
      {
        name: 'Every object read and write',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          { field: 'resources.ARN', startsWith: prefixes },
        ],
      },
    ];
    // aws-cdk-lib writes an empty basic selector list; a trail takes one kind of selector only.
    cfnTrail.addPropertyDeletionOverride('EventSelectors');
  }

  /** The CloudWatch Logs group the trail also delivers to, encrypted with the trail's key. */
  private addLogGroup(props: DataAccessTrailProps): logs.LogGroup {
    return new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.key,
      retention: props.logGroupRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The trail's CloudWatch Logs delivery role gets an inline policy from aws-cdk-lib. */
  private acknowledgeLogsRolePolicy(): void {
    const logsPolicy = this.trail.node.tryFindChild('LogsRole')?.node.tryFindChild('DefaultPolicy');
    if (!logsPolicy) return;
    acknowledge(logsPolicy, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        "Attached to this trail's CloudWatch Logs delivery role only (trusted by CloudTrail alone), created and deleted with it, and limited to writing log streams of the trail's one log group; a customer managed policy would add a reusable object without narrowing anything. Changes are reviewed in this repository.",
    });
  }
}

/** Lets CloudTrail encrypt this trail's log files with the key, and describe it. */
function allowTrailToUseKey(key: kms.IKey, trailArn: string, cloudTrail: iam.ServicePrincipal): void {
  const { partition, account } = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsDatasetAccessLogs',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*`,
        },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudTrailDescribesKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }),
  );
}

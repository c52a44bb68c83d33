/** A customer-managed KMS key with the platform's defaults. */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface PlatformKeyProps {
  /** The alias, `alias/...`; it is also how policies of other stacks find the key. */
  readonly alias: string;
  readonly description: string;
  /** Yearly rotation of the key material. @default true */
  readonly rotation?: boolean;
  /**
   * Let CloudWatch Logs use the key for log groups of this account and region. Logs is a service
   * principal, not an IAM principal, so it needs a statement in the key policy.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Let EC2 Auto Scaling launch instances whose EBS volumes use the key (EKS managed node groups
   * run on Auto Scaling groups). Its service-linked role cannot carry IAM policies, so the key
   * policy must name it; without this, nodes with encrypted volumes fail to launch.
   * @default false
   */
  readonly allowEc2AutoScaling?: boolean;
}

/**
 * A symmetric KMS key that is retained when its stack is deleted (data it encrypts outlives the
 * stack), rotated yearly, and administered through IAM in its own account (the CDK default key
 * policy), with no other principal named in the key policy unless asked for.
 */
export class PlatformKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: props.rotation ?? true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.allowCloudWatchLogs) {
      const { region, account, partition } = Stack.of(this);
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchLogsOfThisAccount',
          principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          conditions: {
            ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
          },
        }),
      );
    }
    if (props.allowEc2AutoScaling) {
      const { account, partition } = Stack.of(this);
      const asg = new iam.ArnPrincipal(`arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`);
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowEc2AutoScalingVolumes',
          principals: [asg],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
        }),
      );
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowEc2AutoScalingGrantsForVolumes',
          principals: [asg],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    }
  }
}

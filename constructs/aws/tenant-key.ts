/**
 * The KMS key of one tenant's own storage. Unlike the site's keys, the account does not use it:
 * the key policy lets the account administer the key through IAM (the pattern AWS requires, so the
 * key never becomes unmanageable) and lets only the named tenant roles use it, only through S3, only
 * for the tenant's own buckets.
 *
 * The key is retained when the tenant stack is deleted. Its policy names the tenant roles by ARN;
 * once a role is deleted, IAM rewrites that entry to the role's unique id, so nobody (not even a
 * role re-created under the same name) can decrypt the retained data until an administrator
 * deliberately changes the key policy, which CloudTrail records.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KEY_ADMIN_ACTIONS, grantsOnlyForAwsResources } from './platform-key';

export interface TenantKeyProps {
  readonly alias: string;
  readonly description: string;
  /** The tenant's roles that may use the key; at least one. */
  readonly users: readonly iam.IRole[];
  /** Names of the buckets the key may encrypt for (S3 encryption context); at least one. */
  readonly bucketNames: readonly string[];
  /** Use ends at this instant (ISO 8601, aws:CurrentTime): the end of the tenant's agreement. */
  readonly usableUntil: string;
}

/** What S3 asks KMS for when a caller reads or writes an SSE-KMS object (with or without bucket keys). */
export const TENANT_KEY_USE_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:GenerateDataKey'];

export class TenantKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: TenantKeyProps) {
    super(scope, id);
    if (props.users.length === 0) throw new Error(`key "${props.alias}": users must not be empty`);
    if (props.bucketNames.length === 0)
      throw new Error(`key "${props.alias}": bucketNames must not be empty`);
    const { account, partition, region } = Stack.of(this);
    const buckets = [...props.bucketNames]
      .sort()
      .flatMap((b) => [`arn:${partition}:s3:::${b}`, `arn:${partition}:s3:::${b}/*`]);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministersKey',
            principals: [new iam.ArnPrincipal(`arn:${partition}:iam::${account}:root`)],
            actions: [...KEY_ADMIN_ACTIONS],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'TenantRolesUseKeyThroughS3',
            principals: props.users.map((r) => new iam.ArnPrincipal(r.roleArn)),
            actions: [...TENANT_KEY_USE_ACTIONS],
            resources: ['*'],
            conditions: {
              StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': account },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': buckets },
              DateLessThan: { 'aws:CurrentTime': props.usableUntil },
            },
          }),
          grantsOnlyForAwsResources(),
        ],
      }),
    });
  }
}

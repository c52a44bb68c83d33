/** A customer-managed KMS key with the platform's defaults. */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GRANT_TAG_VALUES, grantDenyStatements, type GrantAbac } from './grant-abac';

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
  /**
   * Restrict cryptographic use of the key to requests made through this AWS service endpoint
   * (`kms:ViaService`, e.g. `s3.us-gov-west-1.amazonaws.com`) by principals of the account. The
   * account keeps administering the key through IAM, but no principal can decrypt with it directly,
   * only through the service, where that service's resource policies (a bucket's network
   * perimeter) apply. When unset, the account may use the key through IAM in any way.
   */
  readonly cryptoOnlyVia?: string;
  /**
   * With `cryptoOnlyVia`: only principals that hold a grant use the key (ABAC, see grant-abac.ts):
   * decryption to grantee roles whose tag says `read` or `write`, encryption to those whose tag
   * says `write`, anything to the break-glass role; every other principal is denied. The account
   * still administers the key. When unset, every principal of the account may use the key through
   * the service.
   */
  readonly grantHolders?: GrantAbac;
}

/**
 * Key actions that administer a key without using it on data. Not kms:CreateGrant: a grant hands
 * out use of the key without the conditions of the key policy.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:Delete*',
  'kms:Describe*',
  'kms:Disable*',
  'kms:Enable*',
  'kms:Get*',
  'kms:List*',
  'kms:Put*',
  'kms:Revoke*',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:Update*',
];

/**
 * Denies kms:CreateGrant to every principal unless an AWS service asks for it on behalf of a
 * resource it integrates (EBS, EKS, EFS, FSx, AWS Backup): a grant hands out use of the key
 * without the key policy's conditions, so nobody may hand one to a person or a role directly.
 * The shape AWS Control Tower's proactive control CT.KMS.PR.3 looks for (BoolIfExists on both keys).
 */
export function grantsOnlyForAwsResources(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
    },
  });
}

/** Key actions that use a key on data. */
export const KEY_CRYPTO_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
];

/**
 * A symmetric KMS key that is retained when its stack is deleted (data it encrypts outlives the
 * stack), rotated yearly, and administered through IAM in its own account, with no other
 * principal named in the key policy unless asked for.
 */
export class PlatformKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    if (props.grantHolders && !props.cryptoOnlyVia)
      throw new Error(`key "${props.alias}": grantHolders needs cryptoOnlyVia`);
    const { account, partition } = Stack.of(this);
    const root = new iam.ArnPrincipal(`arn:${partition}:iam::${account}:root`);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: props.rotation ?? true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Without `cryptoOnlyVia`, the CDK default policy: the account administers and uses the key.
      policy: props.cryptoOnlyVia
        ? new iam.PolicyDocument({
            statements: serviceOnlyStatements(root, account, props.cryptoOnlyVia, props.grantHolders),
          })
        : undefined,
    });
    this.key.addToResourcePolicy(grantsOnlyForAwsResources());
    if (props.allowCloudWatchLogs) {
      const { region } = Stack.of(this);
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchLogsOfThisAccount',
          principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
          actions: [
            'kms:Encrypt*',
            'kms:Decrypt*',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:Describe*',
          ],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
            },
          },
        }),
      );
    }
    if (props.allowEc2AutoScaling) {
      const asg = new iam.ArnPrincipal(
        `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      );
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowEc2AutoScalingVolumes',
          principals: [asg],
          actions: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:DescribeKey',
          ],
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

/** Key actions a write grant adds to decryption. */
export const KEY_WRITE_ACTIONS: readonly string[] = KEY_CRYPTO_ACTIONS.filter((a) => a !== 'kms:Decrypt');

/**
 * The account administers the key; the key is used only through `via`, by the account's
 * principals or, with `abac`, by grant holders and the break-glass role only. No statement
 * removes key administration (the account keeps kms:PutKeyPolicy), so the policy cannot lock
 * the account out of the key.
 */
function serviceOnlyStatements(
  root: iam.IPrincipal,
  account: string,
  via: string,
  abac?: GrantAbac,
): iam.PolicyStatement[] {
  const admin = new iam.PolicyStatement({
    sid: 'AccountAdministersKey',
    principals: [root],
    actions: [...KEY_ADMIN_ACTIONS],
    resources: ['*'],
  });
  const throughService = { 'kms:ViaService': via, 'kms:CallerAccount': account };
  if (!abac) {
    return [
      admin,
      new iam.PolicyStatement({
        sid: 'AccountUsesKeyOnlyThroughService',
        principals: [root],
        actions: [...KEY_CRYPTO_ACTIONS],
        resources: ['*'],
        conditions: { StringEquals: throughService },
      }),
    ];
  }
  const tag = `aws:PrincipalTag/${abac.tagKey}`;
  return [
    admin,
    new iam.PolicyStatement({
      sid: 'GranteesDecryptThroughService',
      principals: [root],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: { ...throughService, [tag]: [...GRANT_TAG_VALUES.read] },
        ArnLike: { 'aws:PrincipalArn': abac.granteeArnPattern },
      },
    }),
    new iam.PolicyStatement({
      sid: 'WriteGranteesEncryptThroughService',
      principals: [root],
      actions: [...KEY_WRITE_ACTIONS],
      resources: ['*'],
      conditions: {
        StringEquals: { ...throughService, [tag]: [...GRANT_TAG_VALUES.write] },
        ArnLike: { 'aws:PrincipalArn': abac.granteeArnPattern },
      },
    }),
    new iam.PolicyStatement({
      sid: 'BreakGlassUsesKeyThroughService',
      principals: [root],
      actions: [...KEY_CRYPTO_ACTIONS],
      resources: ['*'],
      conditions: { StringEquals: throughService, ArnEquals: { 'aws:PrincipalArn': abac.breakGlassRoleArn } },
    }),
    ...grantDenyStatements(abac, {
      readActions: ['kms:Decrypt'],
      writeActions: KEY_WRITE_ACTIONS,
      resources: ['*'],
    }),
  ];
}

/**
 * The permissions boundary of every tenant role of one site: the most a tenant role can ever do,
 * whatever policies are attached to it later. Objects of the platform's dataset buckets, their
 * data keys only through S3, and looking up cluster endpoints; nothing else, and never the access
 * logs or the audit record.
 */
import { type Acknowledgment } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

export interface TenantBoundaryProps {
  readonly managedPolicyName: string;
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** Prefix shared by the names of the dataset buckets, e.g. `genesis-111122223333-`. */
  readonly datasetBucketPrefix: string;
  /** Buckets under that prefix that tenants must never reach (access logs, the audit record). */
  readonly excludedBuckets: readonly string[];
  /** Alias pattern of the keys of the dataset buckets, e.g. `alias/genesis/<site>/data-*`. */
  readonly dataKeyAliasPattern: string;
  /** Prefix of the tenants' own storage buckets, e.g. `genesis-tenant-111122223333-`. */
  readonly tenantBucketPrefix: string;
  /**
   * Tag key naming the tenant on roles and tenant keys. A tenant role may use a tenant key only
   * when both tags name the same tenant.
   */
  readonly tenantTagKey: string;
}

/** Object actions a tenant role may ever hold: those of a write grant, no version purge or lock change. */
export const BOUNDARY_OBJECT_ACTIONS: readonly string[] = [
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:GetObject',
  's3:GetObjectTagging',
  's3:GetObjectVersion',
  's3:ListMultipartUploadParts',
  's3:PutObject',
  's3:PutObjectTagging',
];

/** ARNs the boundary names, derived from its props. */
interface BoundaryArns {
  /** Every dataset bucket (by name prefix). */
  readonly buckets: string;
  /** Every tenant storage bucket (by name prefix). */
  readonly tenantBuckets: string;
  /** Every KMS key of the account and region. */
  readonly keys: string;
}

export class TenantBoundary extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: TenantBoundaryProps) {
    super(scope, id);
    const arns: BoundaryArns = {
      buckets: s3Arn(props, `${props.datasetBucketPrefix}*`),
      tenantBuckets: s3Arn(props, `${props.tenantBucketPrefix}*`),
      keys: `arn:${props.partition}:kms:${props.region}:${props.account}:key/*`,
    };
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: props.managedPolicyName,
      description:
        'Permissions boundary of tenant roles: dataset objects, their keys through S3, cluster endpoints',
      statements: boundaryStatements(props, arns),
    });
    acknowledge(this.policy, ...boundaryAcknowledgements(props, arns));
  }
}

/** ARN of an S3 bucket (or bucket name pattern) in the partition of the boundary. */
function s3Arn(props: TenantBoundaryProps, name: string): string {
  return `arn:${props.partition}:s3:::${name}`;
}

/** The statements of the boundary policy, in order. */
function boundaryStatements(props: TenantBoundaryProps, arns: BoundaryArns): iam.PolicyStatement[] {
  const { buckets, tenantBuckets, keys } = arns;
  return [
    new iam.PolicyStatement({
      sid: 'DatasetObjects',
      actions: [...BOUNDARY_OBJECT_ACTIONS],
      resources: [`${buckets}/*`],
    }),
    new iam.PolicyStatement({
      sid: 'DatasetListing',
      actions: ['s3:ListBucket', 's3:ListBucketVersions'],
      resources: [buckets],
    }),
    new iam.PolicyStatement({
      sid: 'DatasetKeysThroughS3',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [keys],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${props.region}.amazonaws.com` },
        'ForAnyValue:StringLike': { 'kms:ResourceAliases': props.dataKeyAliasPattern },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ClusterEndpoints',
      actions: ['eks:DescribeCluster'],
      resources: [`arn:${props.partition}:eks:${props.region}:${props.account}:cluster/*`],
    }),
    new iam.PolicyStatement({
      sid: 'TenantStorageObjects',
      actions: [...BOUNDARY_OBJECT_ACTIONS],
      resources: [`${tenantBuckets}/*`],
    }),
    new iam.PolicyStatement({
      sid: 'TenantStorageListing',
      actions: ['s3:ListBucket', 's3:ListBucketVersions'],
      resources: [tenantBuckets],
    }),
    new iam.PolicyStatement({
      sid: 'OwnTenantKeyThroughS3',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [keys],
      conditions: {
        StringEquals: {
          'kms:ViaService': `s3.${props.region}.amazonaws.com`,
          [`aws:ResourceTag/${props.tenantTagKey}`]: `\${aws:PrincipalTag/${props.tenantTagKey}}`,
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'NeverTheLogsOrAudit',
      effect: iam.Effect.DENY,
      actions: ['s3:*'],
      resources: props.excludedBuckets.flatMap((b) => [s3Arn(props, b), `${s3Arn(props, b)}/*`]),
    }),
  ];
}

/** Why the boundary's wildcard resources are acceptable (it is a ceiling, not a grant). */
function boundaryAcknowledgements(props: TenantBoundaryProps, arns: BoundaryArns): Acknowledgment[] {
  const { buckets, tenantBuckets, keys } = arns;
  const ceiling =
    "A permissions boundary is a ceiling, not a grant: it must admit every bucket and key any tenant role of the site may be given, present or future, while each role's own policies (and the bucket and key policies) name the exact buckets and keys.";
  return [
    {
      id: `AwsSolutions-IAM5[Resource::${buckets}/*]`,
      reason: `${ceiling} Objects of dataset buckets only, no version purge or lock changes; the access-log and audit buckets are denied.`,
    },
    { id: `AwsSolutions-IAM5[Resource::${buckets}]`, reason: `${ceiling} Listing dataset buckets only.` },
    {
      id: `AwsSolutions-IAM5[Resource::${tenantBuckets}/*]`,
      reason: `${ceiling} Objects of tenant storage buckets only; each bucket's policy denies every principal but its own tenant's role.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${tenantBuckets}]`,
      reason: `${ceiling} Listing tenant storage buckets only.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${keys}]`,
      reason: `${ceiling} Key ids are assigned at deployment; use is held to requests through S3 and to the dataset key aliases, or to a tenant key tagged with the caller's own tenant.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${props.partition}:eks:${props.region}:${props.account}:cluster/*]`,
      reason: `${ceiling} eks:DescribeCluster only (endpoint and CA for kubeconfig), which reveals no data.`,
    },
  ];
}

/**
 * The permissions boundary of every tenant role of one site: the most a tenant role can ever do,
 * whatever policies are attached to it later. Objects of the platform's dataset buckets, their
 * data keys only through S3, and looking up cluster endpoints; nothing else, and never the access
 * logs or the audit record.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

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

export class TenantBoundary extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: TenantBoundaryProps) {
    super(scope, id);
    const s3 = (name: string): string => `arn:${props.partition}:s3:::${name}`;
    const buckets = s3(`${props.datasetBucketPrefix}*`);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: props.managedPolicyName,
      description: 'Permissions boundary of tenant roles: dataset objects, their keys through S3, cluster endpoints',
      statements: [
        new iam.PolicyStatement({ sid: 'DatasetObjects', actions: [...BOUNDARY_OBJECT_ACTIONS], resources: [`${buckets}/*`] }),
        new iam.PolicyStatement({ sid: 'DatasetListing', actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [buckets] }),
        new iam.PolicyStatement({
          sid: 'DatasetKeysThroughS3',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [`arn:${props.partition}:kms:${props.region}:${props.account}:key/*`],
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
          sid: 'NeverTheLogsOrAudit',
          effect: iam.Effect.DENY,
          actions: ['s3:*'],
          resources: props.excludedBuckets.flatMap((b) => [s3(b), `${s3(b)}/*`]),
        }),
      ],
    });
  }
}

/**
 * The IAM role through which one tenant's workloads reach the datasets granted to it.
 *
 * - Trust: EKS Pod Identity only, and only for the tenant's namespace and service account on the
 *   named clusters of this account (checked on the session tags Pod Identity sets), so a Pod
 *   Identity association made elsewhere cannot assume it.
 * - Permissions: one set of statements per grant, read or write, on the dataset's bucket and, for
 *   KMS, only through S3 on that bucket. Every statement stops working at the end of the grant's
 *   last day (UTC), whether or not anyone redeploys.
 *
 * Statements go into customer managed policies packed up to the IAM size limit, because inline
 * policies of a role share one 10,240-character budget and a tenant may hold many grants.
 *
 * These identity policies are one side of a grant. The other is the data side: the tenant stack
 * tags the role with its grants, and the dataset bucket and key policies admit only roles whose
 * tags say so (ABAC, chosen over S3 access points per grant so that those policies keep a constant
 * size as tenants grow; see grant-abac.ts). The expiry lives here, in aws:CurrentTime.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { awsPartition } from '../../infra/contract/names';
import { podIdentityPrincipal } from './pod-identity';
import { constructId } from './ids';
import { acknowledge } from './acknowledge';

export interface DatasetAccess {
  readonly datasetId: string;
  readonly bucketName: string;
  /** Alias of the KMS key that encrypts the bucket. */
  readonly keyAlias: string;
  readonly access: 'read' | 'write';
  /** Last day of access, YYYY-MM-DD, inclusive (UTC). */
  readonly expires: string;
}

export interface TenantDataRoleProps {
  /** Caps whatever the role is ever given. */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  readonly roleName: string;
  /** Kubernetes namespace and service account that may assume the role. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** ARNs of the EKS clusters whose Pod Identity may assume the role; at least one. */
  readonly clusterArns: readonly string[];
  readonly datasets: readonly DatasetAccess[];
}

/** IAM limit on the size of a managed policy document, white space excluded. */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** Default IAM quota of managed policies attached to one role. */
export const MAX_MANAGED_POLICIES_PER_ROLE = 10;

export const READ_OBJECT_ACTIONS: readonly string[] = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectTagging',
];
export const WRITE_OBJECT_ACTIONS: readonly string[] = [
  ...READ_OBJECT_ACTIONS,
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:ListMultipartUploadParts',
  's3:PutObject',
  's3:PutObjectTagging',
];
export const LIST_ACTIONS: readonly string[] = ['s3:ListBucket', 's3:ListBucketVersions'];

/** The first instant after the last day of a grant, as IAM's aws:CurrentTime compares it. */
export function accessEndsAt(expires: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  if (!m) throw new Error(`not a date: ${expires}`);
  const end = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return `${end.toISOString().slice(0, 10)}T00:00:00Z`;
}

export class TenantDataRole extends Construct {
  readonly role: iam.Role;
  readonly policies: readonly iam.ManagedPolicy[];

  constructor(scope: Construct, id: string, props: TenantDataRoleProps) {
    super(scope, id);
    if (props.clusterArns.length === 0)
      throw new Error(`role "${props.roleName}": clusterArns must not be empty`);
    const stack = Stack.of(this);
    const { account, region } = stack;
    // A literal partition keeps policy sizes measurable at synth time.
    const partition = Token.isUnresolved(region) ? stack.partition : awsPartition(region);

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      permissionsBoundary: props.permissionsBoundary,
      description: `Data access of the workloads in namespace ${props.namespace}`,
      assumedBy: podIdentityPrincipal({
        account,
        namespace: props.namespace,
        serviceAccounts: [props.serviceAccount],
        clusterArns: props.clusterArns,
      }),
    });

    const sorted = [...props.datasets].sort((a, b) => a.datasetId.localeCompare(b.datasetId));
    const perGrant = sorted.map((d) => grantStatements(d, { account, region, partition }));
    const bucketOf = new Map(perGrant.map((ss, i) => [ss, sorted[i].bucketName]));

    // Pack whole grants (never part of one) into as few managed policies as the size limit allows,
    // so that a grant is in force or not as a unit.
    const size = (ss: iam.PolicyStatement[]): number =>
      JSON.stringify(stack.resolve(new iam.PolicyDocument({ statements: ss }).toJSON())).length;
    const groups: iam.PolicyStatement[][] = [];
    const groupBuckets: string[][] = [];
    let current: iam.PolicyStatement[] = [];
    let currentBuckets: string[] = [];
    for (const grant of perGrant) {
      if (size(grant) > MANAGED_POLICY_MAX_CHARS)
        throw new Error(`role "${props.roleName}": one grant exceeds the managed policy size limit`);
      if (current.length > 0 && size([...current, ...grant]) > MANAGED_POLICY_MAX_CHARS) {
        groups.push(current);
        groupBuckets.push(currentBuckets);
        current = [];
        currentBuckets = [];
      }
      current.push(...grant);
      currentBuckets.push(bucketOf.get(grant)!);
    }
    if (current.length > 0) {
      groups.push(current);
      groupBuckets.push(currentBuckets);
    }
    if (groups.length > MAX_MANAGED_POLICIES_PER_ROLE) {
      throw new Error(
        `role "${props.roleName}": its grants need ${groups.length} managed policies, more than the ${MAX_MANAGED_POLICIES_PER_ROLE} a role may carry`,
      );
    }
    this.policies = groups.map(
      (ss, i) =>
        new iam.ManagedPolicy(this, `Grants${i + 1}`, {
          managedPolicyName: `${props.roleName}-grants-${i + 1}`,
          description: `Dataset grants of ${props.roleName} (part ${i + 1} of ${groups.length})`,
          statements: ss,
          roles: [this.role],
        }),
    );
    this.policies.forEach((policy, i) => {
      acknowledge(
        policy,
        ...[...new Set(groupBuckets[i])].map((bucket) => ({
          id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${bucket}/*]`,
          reason: `Objects of the one granted dataset bucket ${bucket}, until the grant's last day (aws:CurrentTime); read grants get read actions only, and no statement may purge versions or change object locks.`,
        })),
        {
          id: `AwsSolutions-IAM5[Resource::arn:${partition}:kms:${region}:${account}:key/*]`,
          reason:
            "The dataset key lives in the site stack and its id is assigned at deployment, so it is found by alias: the statement holds only for the key with the dataset classification's alias, through S3, for the granted bucket's encryption context, until the grant ends.",
        },
      );
    });
  }
}

function grantStatements(
  d: DatasetAccess,
  env: { account: string; region: string; partition: string },
): iam.PolicyStatement[] {
  const bucketArn = `arn:${env.partition}:s3:::${d.bucketName}`;
  const sidBase = `${d.access === 'write' ? 'Write' : 'Read'}${constructId(d.datasetId)}Until${d.expires.replace(/-/g, '')}`;
  const until = { DateLessThan: { 'aws:CurrentTime': accessEndsAt(d.expires) } };
  return [
    new iam.PolicyStatement({
      sid: `${sidBase}List`,
      actions: [...LIST_ACTIONS],
      resources: [bucketArn],
      conditions: until,
    }),
    new iam.PolicyStatement({
      sid: `${sidBase}Objects`,
      actions: [...(d.access === 'write' ? WRITE_OBJECT_ACTIONS : READ_OBJECT_ACTIONS)],
      resources: [`${bucketArn}/*`],
      conditions: until,
    }),
    new iam.PolicyStatement({
      sid: `${sidBase}Key`,
      actions: d.access === 'write' ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resources: [`arn:${env.partition}:kms:${env.region}:${env.account}:key/*`],
      conditions: {
        ...until,
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': d.keyAlias },
        StringEquals: {
          'kms:ViaService': `s3.${env.region}.amazonaws.com`,
          'kms:EncryptionContext:aws:s3:arn': bucketArn,
        },
      },
    }),
  ];
}

/**
 * What the AWS artifacts say about access: the roles and their policies, the data stores
 * (dataset buckets, tenant storage buckets) with their bucket and key policies, and the network
 * paths to S3 (one per gateway endpoint, and the public endpoint).
 */
import { isUnknown } from '../../engine/cfn/resolve';
import {
  asArray,
  attValue,
  cfnResources,
  isRecord,
  refValue,
  tagsOf,
  type CfnItem,
} from '../../engine/cfn/template';
import { declaredManagedPolicies, policiesOfRole, type Statement } from '../../engine/iam';
import type { RuleContext } from '../../engine/types';
import { docOf, prop, unreadable } from './aws-docs';
import { rolePrincipal } from './principals';
import type { Doc, Principal } from './types';
import { TAG } from '../../../infra/contract';
import { memo } from '../../engine/memo';

export interface AwsRole {
  readonly item: CfnItem;
  readonly principal: Principal;
  readonly identity: readonly Doc[];
  readonly boundary?: readonly Doc[];
  /** Names the role may be referred to by in policies (its ARN, and the resolver's symbol). */
  readonly names: readonly string[];
}

export interface KeyInfo {
  readonly item: CfnItem;
  /** ARN for pattern matching, then the resolver's symbol for equality. */
  readonly names: readonly string[];
  readonly docs: readonly Doc[];
  readonly aliases: readonly string[];
  readonly tags: ReadonlyMap<string, string>;
}

export interface Store {
  readonly kind: 'dataset' | 'storage';
  /** Dataset id, or the owning tenant's id for tenant storage. */
  readonly id: string;
  readonly item: CfnItem;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly enclave?: string;
  readonly site?: string;
  readonly tags: ReadonlyMap<string, string>;
  readonly policy?: readonly Doc[];
  /** The KMS key of the bucket's default encryption; undefined for SSE-S3. */
  readonly key?: KeyInfo;
  /** Why the key could not be found, when it could not. */
  readonly keyUnknown?: string;
  readonly bucketKey: boolean;
}

export interface S3Path {
  /** The enclave of the endpoint, or undefined for the public S3 endpoint (no VPC endpoint). */
  readonly enclave?: string;
  readonly endpoint?: string;
  readonly vpc?: string;
  readonly docs?: readonly Doc[];
  readonly item?: CfnItem;
}

export interface AwsModel {
  readonly roles: readonly AwsRole[];
  readonly stores: readonly Store[];
  readonly paths: readonly S3Path[];
  readonly accounts: ReadonlySet<string>;
  readonly partition: string;
  readonly account?: string;
}

const strTags = (props: Record<string, unknown>, key = 'Tags'): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of tagsOf({ Tags: props[key] })) if (typeof v === 'string') out.set(k, v);
  return out;
};

/**
 * The ARN of a role: from its RoleName and Path; without a name, CloudFormation makes one of the
 * stack name, the logical id and a random suffix, which no `genesis-*` pattern can match.
 */
function roleArn(item: CfnItem): string {
  const name =
    typeof item.props.RoleName === 'string'
      ? item.props.RoleName
      : `${item.stack.stackName}-${item.logicalId}`.slice(0, 51) + '-RANDOMSUFFIX';
  const path = typeof item.props.Path === 'string' ? item.props.Path : '/';
  return `arn:${item.resolver.partition}:iam::${item.resolver.account}:role${path}${name}`;
}

/** AWS-managed policies whose content is not in the assembly, by name: what they allow of the actions the analysis asks about. */
const AWS_MANAGED: Readonly<Record<string, Statement[]>> = {
  AdministratorAccess: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  PowerUserAccess: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
  AmazonS3FullAccess: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }],
  AmazonS3ReadOnlyAccess: [
    {
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
      Resource: '*',
    },
  ],
  // no S3 object, KMS data-key, EFS client, IAM-write or EKS access-entry action
  AmazonEKSClusterPolicy: [],
  AmazonEKSWorkerNodePolicy: [],
  AmazonEKS_CNI_Policy: [],
  AmazonEC2ContainerRegistryReadOnly: [],
  AWSLambdaBasicExecutionRole: [],
  AmazonEFSCSIDriverPolicy: [],
  AWSBackupServiceRolePolicyForBackup: [],
};

function managedByArn(role: CfnItem, declared: Map<unknown, CfnItem>): Doc[] {
  const out: Doc[] = [];
  for (const arn of asArray(role.props.ManagedPolicyArns)) {
    if (declared.has(arn)) continue; // policiesOfRole reads it
    const name =
      typeof arn === 'string' ? /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] : undefined;
    const known = name !== undefined ? AWS_MANAGED[name] : undefined;
    const statements =
      known ??
      unreadable(`managed policy ${isUnknown(arn) ? arn.reason : String(arn)} is not in the assembly`);
    out.push({
      statements,
      witness: {
        file: role.stack.file,
        resource: `aws:${role.stack.stackName}/${role.logicalId}`,
        policy: `ManagedPolicyArns:${name ?? String(arn)}`,
        line: role.stack.resourceLines.get(role.logicalId),
      },
    });
  }
  return out;
}

function boundaryOf(ctx: RuleContext, role: CfnItem, declared: Map<unknown, CfnItem>): Doc[] | undefined {
  const b = role.props.PermissionsBoundary;
  if (b === undefined) return undefined;
  const p = declared.get(b);
  if (p)
    return [
      docOf(
        p,
        `boundary:${String(p.props.ManagedPolicyName ?? p.logicalId)}`,
        prop(ctx, p, 'PolicyDocument'),
      ),
    ];
  return [
    {
      statements: unreadable(`permissions boundary ${String(b)} is not in the assembly`),
      witness: {
        file: role.stack.file,
        resource: `aws:${role.stack.stackName}/${role.logicalId}`,
        policy: 'boundary:PermissionsBoundary',
      },
    },
  ];
}

function roles(ctx: RuleContext): AwsRole[] {
  const declared = declaredManagedPolicies(ctx);
  for (const p of cfnResources(ctx, 'AWS::IAM::ManagedPolicy')) {
    if (typeof p.props.ManagedPolicyName === 'string')
      declared.set(
        `arn:${p.resolver.partition}:iam::${p.resolver.account}:policy${typeof p.props.Path === 'string' ? p.props.Path : '/'}${p.props.ManagedPolicyName}`,
        p,
      );
  }
  const out: AwsRole[] = [];
  for (const item of cfnResources(ctx, 'AWS::IAM::Role')) {
    const arn = roleArn(item);
    const symbol = attValue(item, 'Arn');
    const names = [arn, ...(typeof symbol === 'string' && symbol !== arn ? [symbol] : [])];
    const base = rolePrincipal(arn, item.resolver.account, strTags(item.props));
    const principal: Principal = { ...base, matchesArn: (a) => names.includes(a) };
    const identity = [
      ...policiesOfRole(ctx, item).map((p) =>
        docOf(p.item, p.name, p.item === item ? p.document : resolveDocOf(ctx, p.item, p.document)),
      ),
      ...managedByArn(item, declared),
    ];
    out.push({ item, principal, identity, boundary: boundaryOf(ctx, item, declared), names });
  }
  return out;
}

/** A standalone policy's document, re-resolved with the assembly's SSM parameters. */
function resolveDocOf(ctx: RuleContext, item: CfnItem, fallback: unknown): unknown {
  return item.resource.Properties?.PolicyDocument !== undefined
    ? prop(ctx, item, 'PolicyDocument')
    : fallback;
}

function keys(ctx: RuleContext): Map<unknown, KeyInfo> {
  const aliases = new Map<unknown, string[]>();
  for (const a of cfnResources(ctx, 'AWS::KMS::Alias')) {
    if (typeof a.props.AliasName === 'string')
      aliases.set(a.props.TargetKeyId, [...(aliases.get(a.props.TargetKeyId) ?? []), a.props.AliasName]);
  }
  const out = new Map<unknown, KeyInfo>();
  for (const k of cfnResources(ctx, 'AWS::KMS::Key')) {
    const arn = `arn:${k.resolver.partition}:kms:${k.resolver.region}:${k.resolver.account}:key/${k.stack.stackName}-${k.logicalId}`;
    const symbol = attValue(k, 'Arn');
    const ref = refValue(k);
    const info: KeyInfo = {
      item: k,
      names: [arn, ...(typeof symbol === 'string' ? [symbol] : [])],
      docs: [docOf(k, 'KeyPolicy', prop(ctx, k, 'KeyPolicy'))],
      aliases: [...(aliases.get(symbol) ?? []), ...(aliases.get(ref) ?? [])].sort(),
      tags: strTags(k.props),
    };
    out.set(symbol, info);
    out.set(ref, info);
    out.set(arn, info);
  }
  return out;
}

function keyOfBucket(
  bucket: CfnItem,
  byId: Map<unknown, KeyInfo>,
): { key?: KeyInfo; keyUnknown?: string; bucketKey: boolean } {
  const enc = bucket.props.BucketEncryption;
  const rules = isRecord(enc) ? asArray(enc.ServerSideEncryptionConfiguration) : [];
  for (const r of rules) {
    if (!isRecord(r) || !isRecord(r.ServerSideEncryptionByDefault)) continue;
    const d = r.ServerSideEncryptionByDefault;
    const bucketKey = r.BucketKeyEnabled === true;
    if (d.SSEAlgorithm === 'AES256') return { bucketKey };
    const key = byId.get(d.KMSMasterKeyID);
    if (key) return { key, bucketKey };
    return {
      keyUnknown: `the bucket's key ${String(d.KMSMasterKeyID)} is not declared in the assembly`,
      bucketKey,
    };
  }
  return { bucketKey: false };
}

function stores(ctx: RuleContext, byKey: Map<unknown, KeyInfo>): Store[] {
  const policies = new Map<unknown, CfnItem[]>();
  for (const p of cfnResources(ctx, 'AWS::S3::BucketPolicy'))
    policies.set(p.props.Bucket, [...(policies.get(p.props.Bucket) ?? []), p]);
  const out: Store[] = [];
  for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
    const tags = strTags(b.props);
    const dataset = tags.get(TAG.dataset);
    const owner = tags.get(TAG.tenant);
    if (dataset === undefined && owner === undefined) continue;
    const name = refValue(b);
    const arn = attValue(b, 'Arn');
    const docs = (policies.get(name) ?? []).map((p) =>
      docOf(p, 'PolicyDocument', prop(ctx, p, 'PolicyDocument')),
    );
    out.push({
      kind: dataset !== undefined ? 'dataset' : 'storage',
      id: dataset ?? (owner as string),
      item: b,
      arn: typeof arn === 'string' ? arn : `arn:${b.resolver.partition}:s3:::${String(name)}`,
      account: b.resolver.account,
      region: b.resolver.region,
      enclave: tags.get(TAG.enclave),
      site: tags.get(TAG.site),
      tags,
      policy: docs.length ? docs : undefined,
      ...keyOfBucket(b, byKey),
    });
  }
  return out;
}

function paths(ctx: RuleContext): S3Path[] {
  const out: S3Path[] = [{}];
  for (const e of cfnResources(ctx, 'AWS::EC2::VPCEndpoint')) {
    const service = e.props.ServiceName;
    if (typeof service !== 'string' || !/\.s3$/.test(service)) continue;
    const tags = strTags(e.props);
    const endpoint = refValue(e);
    out.push({
      enclave: tags.get(TAG.enclave) ?? `${e.stack.stackName}/${e.logicalId}`,
      endpoint: typeof endpoint === 'string' ? endpoint : undefined,
      vpc: typeof e.props.VpcId === 'string' ? e.props.VpcId : undefined,
      docs:
        e.props.PolicyDocument === undefined
          ? undefined
          : [docOf(e, 'PolicyDocument', prop(ctx, e, 'PolicyDocument'))],
      item: e,
    });
  }
  return out;
}

export function awsModel(ctx: RuleContext): AwsModel {
  return memo(ctx.artifacts, 'access:awsModel', () => buildAwsModel(ctx));
}

function buildAwsModel(ctx: RuleContext): AwsModel {
  const stacks = ctx.artifacts.aws?.stacks ?? [];
  const accounts = new Set(stacks.map((s) => s.account).filter((a): a is string => typeof a === 'string'));
  const first = [...cfnResources(ctx, 'AWS::IAM::Role')][0];
  const model: AwsModel = {
    roles: roles(ctx),
    stores: stores(ctx, keys(ctx)),
    paths: paths(ctx),
    accounts,
    partition: first?.resolver.partition ?? 'aws',
    account: [...accounts][0],
  };
  return model;
}

/**
 * What a change means: which section of the report it belongs to (privilege, quota, protection,
 * network, or none) and whether it broadens, narrows or leaves unchanged what someone can do or
 * reach. One function for every section and for the resource-level list, so that a change is
 * described in the same words wherever it appears.
 */
import { IPv4CidrRange, IPv6CidrRange, Validator } from 'ip-num';
import { isRecord } from '../../infra/util/records';
import { compareQuantities } from './quantity';
import type { Classification, IndexedResource, PropertyChange } from './types';

export type Category = 'privilege' | 'quota' | 'protection' | 'network';

export interface Verdict {
  readonly category?: Category;
  readonly classification: Classification;
  readonly reason: string;
}

const PRIVILEGE_AWS =
  /^AWS::(IAM::|EKS::(AccessEntry|PodIdentityAssociation)$|S3::(BucketPolicy|AccessPoint)$|KMS::Grant$|Lambda::Permission$|SecretsManager::ResourcePolicy$)/;
const PRIVILEGE_PROPS = new Set([
  'PolicyDocument',
  'KeyPolicy',
  'AssumeRolePolicyDocument',
  'Policy',
  'Policies',
  'ManagedPolicyArns',
]);
const PRIVILEGE_K8S = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ServiceAccount',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'CustomResourceDefinition',
  'Namespace',
]);
const QUOTA_K8S = new Set([
  'ClusterQueue',
  'LocalQueue',
  'ResourceQuota',
  'LimitRange',
  'ResourceFlavor',
  'Cohort',
  'PersistentVolumeClaim',
  'StorageClass',
  'WorkloadPriorityClass',
  'PriorityClass',
]);
/** Objects that grant a tenant capacity (others describe the capacity that exists). */
const QUOTA_GRANTS = new Set(['ClusterQueue', 'LocalQueue', 'ResourceQuota', 'PersistentVolumeClaim']);
const QUOTA_AWS = /^AWS::(EKS::Nodegroup|FSx::FileSystem|AutoScaling::AutoScalingGroup|EC2::LaunchTemplate)$/;
const QUOTA_PROPS = new Set([
  'ScalingConfig',
  'StorageCapacity',
  'DesiredSize',
  'MinSize',
  'MaxSize',
  'ThroughputCapacity',
]);
const NETWORK_AWS =
  /^AWS::(EC2::(SecurityGroup\w*|NetworkAcl\w*|VPC|Subnet|Route\w*|VPCEndpoint|NatGateway|InternetGateway|VPCGatewayAttachment|TransitGateway\w*|VPCPeeringConnection)|NetworkFirewall::\w+|Route53Resolver::\w+)$/;
const NETWORK_K8S = new Set([
  'NetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
]);
const PROTECTION_PROPS =
  /^(DeletionPolicy|UpdateReplacePolicy|BucketEncryption|ServerSideEncryption\w*|SSESpecification|EncryptionConfiguration|Encrypted|StorageEncrypted|KmsKeyId|KmsMasterKeyId|KMSMasterKeyID|EnableKeyRotation|PendingWindowInDays|RetentionInDays|RetentionPeriod\w*|BackupRetention\w*|ObjectLock\w*|VersioningConfiguration|PublicAccessBlockConfiguration|LoggingConfiguration|LogDestination\w*|LogGroupName|IsLogging|EnableLogFileValidation|DeletionProtection\w*|PointInTimeRecovery\w*|LifecycleConfiguration|BlockPublic\w+|IgnorePublicAcls|RestrictPublicBuckets)$/;
/** Resources that are a protection in themselves (a new bucket or key is a new resource, not one). */
const PROTECTION_AWS = /^AWS::(CloudTrail::Trail|EC2::FlowLog|Logs::LogGroup|Config::\w+|Backup::\w+)$/;
const POLICY_RANK: Record<string, number> = { Delete: 0, Snapshot: 1, RetainExceptOnCreate: 2, Retain: 2 };
const PROTECTIVE_TRUE =
  /^(BlockPublic\w+|IgnorePublicAcls|RestrictPublicBuckets|EnableKeyRotation|DeletionProtection\w*|Encrypted|StorageEncrypted|ObjectLockEnabled|IsLogging|EnableLogFileValidation|IsMultiRegionTrail|PointInTimeRecoveryEnabled|BucketKeyEnabled)$/;
const RETENTION = /(RetentionInDays|RetentionPeriod|Days|Years|PendingWindowInDays)$/;
const NEGATED = /^(NotAction|NotResource|NotPrincipal)$/;
const CONDITIONS = /^(Condition|conditions|matchConditions)$/;

const kindOf = (r: IndexedResource): string =>
  r.target === 'k8s' ? (r.type.split(' ').pop() ?? r.type) : r.type;
const isNamespaced = (r: IndexedResource): boolean => r.target === 'k8s' && !r.resource.includes('/-/');
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The category of a change at `segments` (property path) of resource `r`. */
export function categoryOf(r: IndexedResource, segments: readonly string[]): Category | undefined {
  const kind = kindOf(r);
  const keys = segments.filter((s) => !s.startsWith('['));
  if (r.target === 'aws') {
    if (keys.some((k) => PROTECTION_PROPS.test(k))) return 'protection';
    if (PRIVILEGE_AWS.test(kind) || keys.some((k) => PRIVILEGE_PROPS.has(k))) return 'privilege';
    if (QUOTA_AWS.test(kind) && (segments.length === 0 || keys.some((k) => QUOTA_PROPS.has(k))))
      return 'quota';
    if (NETWORK_AWS.test(kind)) return 'network';
    if (segments.length === 0 && PROTECTION_AWS.test(kind)) return 'protection';
    return undefined;
  }
  if (QUOTA_K8S.has(kind)) return 'quota';
  if (NETWORK_K8S.has(kind)) return 'network';
  if (PRIVILEGE_K8S.has(kind) || !isNamespaced(r)) return 'privilege';
  return undefined;
}

const v = (category: Category | undefined, classification: Classification, reason: string): Verdict => ({
  category,
  classification,
  reason,
});

/** A whole resource added or removed. */
export function classifyResource(r: IndexedResource, status: 'added' | 'removed'): Verdict {
  const category = categoryOf(r, []);
  const kind = kindOf(r);
  const up = status === 'added';
  const what = `${up ? 'new' : 'removed'} ${kind}`;
  switch (category) {
    case 'privilege':
      return v(
        category,
        up ? 'broadening' : 'narrowing',
        `${what}: ${up ? 'grants' : 'took away'} an identity, permission or cluster-wide object`,
      );
    case 'quota':
      if (QUOTA_GRANTS.has(kind))
        return v(category, up ? 'broadening' : 'narrowing', `${what}: ${up ? 'grants' : 'withdraws'} quota`);
      return v(category, 'neutral', `${what}: capacity that exists, granted to no one by itself`);
    case 'network':
      if (
        /SecurityGroup(Ingress|Egress)$|NetworkAclEntry$/.test(kind) &&
        !(isRecord(r.body) && isRecord(r.body.Properties) && r.body.Properties.RuleAction === 'deny')
      )
        return v(
          category,
          up ? 'broadening' : 'narrowing',
          `${what}: ${up ? 'allows' : 'no longer allows'} traffic`,
        );
      return v(
        category,
        'neutral',
        `${what}: changes the network; what it opens is the reachability analysis's to say`,
      );
    case 'protection':
      return v(
        category,
        up ? 'narrowing' : 'broadening',
        `${what}: ${up ? 'adds' : 'removes'} a protection (logging, encryption or retention)`,
      );
    default:
      return v(undefined, 'neutral', `${what}`);
  }
}

/** Whether the changed element sits under a list that denies or excludes (where adding narrows). */
function negated(segments: readonly string[], r: IndexedResource): boolean {
  return (
    segments.some((s) => NEGATED.test(s) || CONDITIONS.test(s)) ||
    (isRecord(r.body) && isRecord(r.body.Properties) && r.body.Properties.RuleAction === 'deny')
  );
}

function statementEffect(x: unknown): string | undefined {
  return isRecord(x) && typeof x.Effect === 'string' ? x.Effect : undefined;
}

function dateOrder(a: unknown, b: unknown): number | undefined {
  const re = /^\d{4}-\d{2}-\d{2}/;
  if (typeof a !== 'string' || typeof b !== 'string' || !re.test(a) || !re.test(b)) return undefined;
  return a < b ? -1 : a > b ? 1 : 0;
}

function cidrSize(x: unknown): bigint | undefined {
  if (typeof x !== 'string') return undefined;
  if (Validator.isValidIPv4CidrRange(x)[0]) return IPv4CidrRange.fromCidr(x).getSize();
  if (Validator.isValidIPv6CidrRange(x)[0]) return IPv6CidrRange.fromCidr(x).getSize();
  return undefined;
}

/** Changes of one scalar value that every category reads the same way: dates, CIDRs, effects. */
function classifyScalar(
  category: Category | undefined,
  p: PropertyChange,
  last: string,
): Verdict | undefined {
  const order = dateOrder(p.before, p.after);
  if (order !== undefined && order !== 0) {
    const later = order < 0;
    return v(
      category,
      later ? 'broadening' : 'narrowing',
      `${last} moves ${later ? 'later' : 'earlier'}, from ${show(p.before)} to ${show(p.after)}: ${later ? 'lasts longer' : 'ends sooner'}`,
    );
  }
  const [a, b] = [cidrSize(p.before), cidrSize(p.after)];
  if (a !== undefined && b !== undefined) {
    if (a === b)
      return v(
        category,
        'neutral',
        `${last} moves from ${show(p.before)} to ${show(p.after)}, a range of the same size`,
      );
    return v(
      category,
      b > a ? 'broadening' : 'narrowing',
      `${last} ${b > a ? 'widens' : 'narrows'} from ${show(p.before)} to ${show(p.after)}`,
    );
  }
  if (last === 'Effect' && p.before !== p.after) {
    const broad = p.after === 'Allow';
    return v(
      category,
      broad ? 'broadening' : 'narrowing',
      `Effect changes from ${show(p.before)} to ${show(p.after)}`,
    );
  }
  return undefined;
}

function classifyProtection(p: PropertyChange, last: string): Verdict {
  const c: Category = 'protection';
  if (last === 'DeletionPolicy' || last === 'UpdateReplacePolicy') {
    const [a, b] = [POLICY_RANK[String(p.before ?? 'Delete')], POLICY_RANK[String(p.after ?? 'Delete')]];
    if (a !== undefined && b !== undefined && a !== b)
      return v(
        c,
        b < a ? 'broadening' : 'narrowing',
        `${last} from ${show(p.before ?? 'Delete (default)')} to ${show(p.after ?? 'Delete (default)')}: the data ${b < a ? 'is kept less' : 'is kept more'}`,
      );
  }
  if (p.before === undefined) return v(c, 'narrowing', `${last || 'setting'} is added: more protection`);
  if (p.after === undefined) return v(c, 'broadening', `${last || 'setting'} is removed: less protection`);
  if (typeof p.before === 'boolean' && typeof p.after === 'boolean' && PROTECTIVE_TRUE.test(last))
    return v(c, p.after ? 'narrowing' : 'broadening', `${last} turns ${p.after ? 'on' : 'off'}`);
  if (last === 'Status' && (p.before === 'Enabled' || p.after === 'Enabled'))
    return v(
      c,
      p.after === 'Enabled' ? 'narrowing' : 'broadening',
      `versioning from ${show(p.before)} to ${show(p.after)}`,
    );
  if (typeof p.before === 'number' && typeof p.after === 'number' && RETENTION.test(last))
    return v(
      c,
      p.after < p.before ? 'broadening' : 'narrowing',
      `${last} from ${p.before} to ${p.after}: kept ${p.after < p.before ? 'shorter' : 'longer'}`,
    );
  return v(c, 'neutral', `${last} changes from ${show(p.before)} to ${show(p.after)}`);
}

function classifyQuota(r: IndexedResource, p: PropertyChange, last: string): Verdict {
  const c: Category = 'quota';
  const grants = r.target === 'k8s' && QUOTA_GRANTS.has(kindOf(r));
  const order = compareQuantities(p.before, p.after);
  if (order !== undefined && order !== 0) {
    const more = order < 0;
    if (!grants)
      return v(
        c,
        'neutral',
        `capacity ${last} ${more ? 'rises' : 'falls'} from ${show(p.before)} to ${show(p.after)}`,
      );
    const inverse = last === 'lendingLimit';
    return v(
      c,
      more !== inverse ? 'broadening' : 'narrowing',
      `${last} ${more ? 'rises' : 'falls'} from ${show(p.before)} to ${show(p.after)}`,
    );
  }
  if (grants && (p.before === undefined || p.after === undefined)) {
    const added = p.before === undefined;
    return v(
      c,
      added ? 'broadening' : 'narrowing',
      `${last} ${added ? 'added' : 'removed'}: ${show(added ? p.after : p.before)}`,
    );
  }
  return v(c, 'neutral', `${last} changes from ${show(p.before)} to ${show(p.after)}`);
}

/** An element added to or removed from a list, or a value set or unset, in privilege or network. */
function classifyAccessLike(category: Category, r: IndexedResource, p: PropertyChange): Verdict {
  const added = p.before === undefined;
  const element = added ? p.after : p.before;
  const effect = statementEffect(element);
  let broad = added;
  if (effect === 'Deny') broad = !added;
  else if (negated(p.segments, r)) broad = !added;
  const what = category === 'privilege' ? 'permission' : 'allowed traffic';
  return v(
    category,
    broad ? 'broadening' : 'narrowing',
    `${added ? 'gains' : 'loses'} ${show(element)}: ${broad ? 'more' : 'less'} ${what}`,
  );
}

/** A property that changed on a resource present on both sides. */
export function classifyProperty(r: IndexedResource, p: PropertyChange): Verdict {
  const category = categoryOf(r, p.segments);
  const keys = p.segments.filter((s) => !s.startsWith('['));
  const last = keys[keys.length - 1] ?? '';
  const scalar =
    p.before !== undefined && p.after !== undefined ? classifyScalar(category, p, last) : undefined;
  if (category === 'protection') return scalar ?? classifyProtection(p, last);
  if (category === 'quota') return scalar ?? classifyQuota(r, p, last);
  if (scalar) return scalar;
  if (
    (category === 'privilege' || category === 'network') &&
    (p.before === undefined || p.after === undefined)
  )
    return classifyAccessLike(category, r, p);
  if (category && /(^|\.)(Condition|conditions)\b/.test(p.path))
    return v(category, 'neutral', `a condition changes from ${show(p.before)} to ${show(p.after)}: review`);
  return v(
    category,
    'neutral',
    p.before === undefined
      ? `set to ${show(p.after)}`
      : p.after === undefined
        ? `unset (was ${show(p.before)})`
        : `changes from ${show(p.before)} to ${show(p.after)}`,
  );
}

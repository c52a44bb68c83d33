/** Small helpers shared by rule files (example builders are in policies/examples/builders.ts). */
import { asArray, cfnResources, isRecord, refValue, type CfnItem } from './cfn/template';
import { isSymbolic, isUnknown } from './cfn/resolve';
import { conditionEntries, globMatch, statementsOf, strings, type Statement } from './iam';
import { groupBy, memo } from './memo';
import type { RuleContext, RuleDefinition } from './types';

/** Identity function that type-checks a rule definition (its target and file come from its folder: policies/registry.ts). */
export const defineRule = (rule: RuleDefinition): RuleDefinition => rule;

/** AWS tag keys of the artifact contract. */
export { TAG } from '../../infra/contract';

export const RESTRICTED_CLASSIFICATIONS: readonly string[] = ['cui', 'export-controlled'];

export { tenantDataRoleName } from '../../infra/contract';

// ---- AWS lookups ---------------------------------------------------------------------------

/** The bucket policies that apply to a bucket (matched on the resolved Bucket property). */
export function bucketPoliciesOf(ctx: RuleContext, bucket: CfnItem): CfnItem[] {
  const byBucket = memo(ctx.artifacts, 'rule-kit:bucketPolicies', () =>
    groupBy(cfnResources(ctx, 'AWS::S3::BucketPolicy'), (p) => p.props.Bucket),
  );
  return byBucket.get(refValue(bucket)) ?? [];
}

/** All statements of all policies of a bucket; Unknown when a policy cannot be read. */
export function bucketStatements(
  ctx: RuleContext,
  bucket: CfnItem,
): Statement[] | ReturnType<typeof statementsOf> {
  const out: Statement[] = [];
  for (const p of bucketPoliciesOf(ctx, bucket)) {
    const ss = statementsOf(p.props.PolicyDocument);
    if (isUnknown(ss)) return ss;
    out.push(...ss);
  }
  return out;
}

/**
 * Whether a bucket's policies hold a Deny of every S3 action to everyone, on the bucket and its
 * objects, whose only condition is one that `conditionHolds` accepts. Any other condition, a
 * NotResource or a NotPrincipal narrows when the deny applies, so such a statement does not count.
 */
export function bucketDeniesAllWhen(
  statements: readonly Statement[],
  bucketArn: unknown,
  conditionHolds: (c: ReturnType<typeof conditionEntries>[number]) => boolean,
): boolean {
  if (typeof bucketArn !== 'string') return false;
  return statements.some((s) => {
    if (s.Effect !== 'Deny' || !principalsOf(s).aws.includes('*')) return false;
    if (s.NotResource !== undefined || s.NotPrincipal !== undefined) return false;
    if (!strings(s.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*')) return false;
    const conditions = conditionEntries(s);
    if (conditions.length !== 1 || !conditionHolds(conditions[0])) return false;
    const resources = strings(s.Resource);
    const covers = (target: string) => resources.some((r) => r === '*' || globMatch(r, target));
    return covers(bucketArn) && covers(`${bucketArn}/any-object`);
  });
}

/** Principals of a statement as a flat list of strings ("*" for a public principal). */
export function principalsOf(s: Statement): {
  all: string[];
  aws: string[];
  service: string[];
  federated: string[];
} {
  const p = s.Principal;
  if (p === '*') return { all: ['*'], aws: ['*'], service: [], federated: [] };
  if (!isRecord(p)) return { all: [], aws: [], service: [], federated: [] };
  const aws = strings(p.AWS);
  const service = strings(p.Service);
  const federated = strings(p.Federated);
  return { all: [...aws, ...service, ...federated, ...strings(p.CanonicalUser)], aws, service, federated };
}

/** Whether a bucket receives S3 server access logs (S3 then allows only SSE-S3 on it). */
export function isAccessLogTarget(ctx: RuleContext, bucket: CfnItem): boolean {
  const ss = bucketStatements(ctx, bucket);
  if (
    !isUnknown(ss) &&
    ss.some((s) => s.Effect === 'Allow' && principalsOf(s).service.some((x) => x.startsWith('logging.s3.')))
  )
    return true;
  const destinations = memo(
    ctx.artifacts,
    'rule-kit:accessLogDestinations',
    () =>
      new Set(
        [...cfnResources(ctx, 'AWS::S3::Bucket')].flatMap((b) =>
          isRecord(b.props.LoggingConfiguration) ? [b.props.LoggingConfiguration.DestinationBucketName] : [],
        ),
      ),
  );
  return destinations.has(refValue(bucket));
}

/** VPCs of the assembly by their Ref value (symbolic ids compare across stacks via imports). */
export function vpcsByRef(ctx: RuleContext): Map<unknown, CfnItem> {
  const m = new Map<unknown, CfnItem>();
  for (const v of cfnResources(ctx, 'AWS::EC2::VPC')) m.set(refValue(v), v);
  return m;
}

/** The VPC a subnet belongs to, by the subnet's Ref value. */
export function subnetVpcs(ctx: RuleContext): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>();
  for (const s of cfnResources(ctx, 'AWS::EC2::Subnet')) m.set(refValue(s), s.props.VpcId);
  return m;
}

/** Security groups by Ref value and by GroupId attribute. */
export function securityGroups(ctx: RuleContext): Map<unknown, CfnItem> {
  const m = new Map<unknown, CfnItem>();
  for (const g of cfnResources(ctx, 'AWS::EC2::SecurityGroup')) {
    m.set(refValue(g), g);
    m.set(g.resolver.resolve({ 'Fn::GetAtt': [g.logicalId, 'GroupId'] }), g);
  }
  return m;
}

/**
 * Deploy-time values still symbolic in a resolved document, counted at the length they will have:
 * an account id 12, a region at most 14, a partition at most 10, anything else (an ARN or id of a
 * resource whose name CloudFormation generates) 100, an upper bound for the ARNs in this platform.
 */
function symbolicLength(token: string): number {
  if (token === '{{AWS::AccountId}}') return 12;
  if (token === '{{AWS::Region}}') return 14;
  if (token === '{{AWS::Partition}}') return 10;
  return 100;
}

/** Size of a policy document as IAM counts it: serialised, white space not counted. */
export function policySize(doc: unknown): number {
  const text = JSON.stringify(doc ?? {}).replace(/\s/g, '');
  let size = text.length;
  for (const m of text.matchAll(/\{\{[^{}]*\}\}/g)) size += symbolicLength(m[0]) - m[0].length;
  return size;
}

export const isDeployTime = (v: unknown): boolean => isUnknown(v) || isSymbolic(v);

export { asArray, isRecord };

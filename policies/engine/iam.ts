/** IAM policy documents as found in templates: statements, action and resource matching. */
import { asArray, cfnResources, isRecord, refValue, undecided, type CfnItem } from './cfn/template';
import { isUnknown, type Unknown } from './cfn/resolve';
import { groupBy, memo } from './memo';
import {
  conditionEntries,
  globMatch,
  statementsOf,
  unknownIn,
  variantsOf,
  type Statement,
} from './iam-statement';
import type { RuleContext, RuleResult } from './types';

export {
  conditionEntries,
  globMatch,
  isUnboundedResource,
  statementsOf,
  strings,
  unknownIn,
  variantsOf,
  type Statement,
} from './iam-statement';

/**
 * Services that hold or unlock data. A wildcard over one of these (or over everything) in an
 * identity policy grants reading, writing and deleting data nobody reviewed.
 */
export const DATA_SERVICES: readonly string[] = [
  's3',
  'kms',
  'dynamodb',
  'elasticfilesystem',
  'fsx',
  'secretsmanager',
  'glue',
  'rds',
  'rds-data',
  'redshift',
  'redshift-data',
  'lakeformation',
  'athena',
  'ssm',
  'backup',
];

/** Concrete actions that read, write or decrypt data; a pattern matching any of them is a data action. */
export const DATA_ACTIONS: readonly string[] = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:PutObject',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:RestoreObject',
  's3:ListBucket',
  's3:PutBucketPolicy',
  's3:DeleteBucket',
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'elasticfilesystem:ClientMount',
  'elasticfilesystem:ClientWrite',
  'elasticfilesystem:ClientRootAccess',
  'fsx:DeleteFileSystem',
  'secretsmanager:GetSecretValue',
  'glue:GetTable',
  'rds-data:ExecuteStatement',
  'redshift-data:ExecuteStatement',
  'lakeformation:GetDataAccess',
  'athena:GetQueryResults',
  'ssm:GetParameter',
  'backup:StartRestoreJob',
];

/**
 * A wildcard over a data service: `*`, `s3:*`, and any action name of a data service with `*` or
 * `?` in it (`s3:*Object*`, `kms:*crypt*`, `s3:Put*`, `s3:GetObjec?`), which grants every present
 * and future action it matches. A wildcard in the service part (`s*:GetObject`) counts when it may
 * match a data service.
 */
export function isServiceWildcard(action: string): boolean {
  if (action === '*') return true;
  const i = action.indexOf(':');
  if (i < 0) return /[*?]/.test(action);
  const service = action.slice(0, i);
  const name = action.slice(i + 1);
  const data = DATA_SERVICES.some((d) => globMatch(service, d));
  return data && (/[*?]/.test(name) || /[*?]/.test(service));
}

export function isDataAction(action: string): boolean {
  return DATA_ACTIONS.some((a) => globMatch(action, a));
}

export interface IdentityPolicy {
  /** The resource that carries the document (a role with inline policies, a policy, a managed policy). */
  readonly item: CfnItem;
  readonly name: string;
  readonly document: unknown;
  /** Ref values of the roles it is attached to (names, ARNs, or symbolic tokens). */
  readonly roles: readonly unknown[];
}

/** Every identity-based policy of the assembly, with the roles each applies to. */
export function identityPolicies(ctx: RuleContext): readonly IdentityPolicy[] {
  return memo(ctx.artifacts, 'iam:identityPolicies', () => buildIdentityPolicies(ctx));
}

function buildIdentityPolicies(ctx: RuleContext): IdentityPolicy[] {
  const out: IdentityPolicy[] = [];
  // roles that attach a managed policy through ManagedPolicyArns, by the policy's ARN
  const attachedBy = new Map<unknown, unknown[]>();
  for (const role of cfnResources(ctx, 'AWS::IAM::Role')) {
    for (const arn of asArray(role.props.ManagedPolicyArns)) {
      const roles = attachedBy.get(arn);
      if (roles) roles.push(refValue(role));
      else attachedBy.set(arn, [refValue(role)]);
    }
  }
  for (const item of cfnResources(ctx, [
    'AWS::IAM::Role',
    'AWS::IAM::Policy',
    'AWS::IAM::ManagedPolicy',
    'AWS::IAM::RolePolicy',
    'AWS::IAM::UserPolicy',
    'AWS::IAM::GroupPolicy',
    'AWS::IAM::User',
    'AWS::IAM::Group',
  ])) {
    const p = item.props;
    switch (item.resource.Type) {
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        asArray(p.Policies).forEach((pol, i) => {
          const rec = isRecord(pol) ? pol : {};
          out.push({
            item,
            name: typeof rec.PolicyName === 'string' ? rec.PolicyName : `Policies[${i}]`,
            document: rec.PolicyDocument,
            roles: item.resource.Type === 'AWS::IAM::Role' ? [refValue(item)] : [],
          });
        });
        break;
      case 'AWS::IAM::RolePolicy':
        out.push({
          item,
          name: String(p.PolicyName ?? item.logicalId),
          document: p.PolicyDocument,
          roles: [p.RoleName],
        });
        break;
      case 'AWS::IAM::UserPolicy':
      case 'AWS::IAM::GroupPolicy':
        out.push({
          item,
          name: String(p.PolicyName ?? item.logicalId),
          document: p.PolicyDocument,
          roles: [],
        });
        break;
      default: {
        const attached =
          item.resource.Type === 'AWS::IAM::ManagedPolicy'
            ? [
                refValue(item),
                item.resolver.resolve({ 'Fn::GetAtt': [item.logicalId, 'PolicyArn'] }),
              ].flatMap((a) => attachedBy.get(a) ?? [])
            : [];
        out.push({
          item,
          name: String(p.PolicyName ?? p.ManagedPolicyName ?? item.logicalId),
          document: p.PolicyDocument,
          roles: [...asArray(p.Roles), ...attached],
        });
      }
    }
  }
  return out;
}

/** The role resources of the assembly, by every value that may name them (Ref, name, ARN). */
export function rolesByName(ctx: RuleContext): Map<string, CfnItem> {
  const map = new Map<string, CfnItem>();
  for (const item of cfnResources(ctx, 'AWS::IAM::Role')) {
    const ref = refValue(item);
    if (typeof ref === 'string') map.set(ref, item);
    const arn = item.resolver.resolve({ 'Fn::GetAtt': [item.logicalId, 'Arn'] });
    if (typeof arn === 'string') map.set(arn, item);
  }
  return map;
}

/** The policies attached to a role: its inline policies and the policies naming it in Roles. */
export function policiesOfRole(ctx: RuleContext, role: CfnItem): IdentityPolicy[] {
  const index = memo(ctx.artifacts, 'iam:policiesByRole', () => {
    const policies = identityPolicies(ctx);
    return {
      order: new Map(policies.map((p, i) => [p, i])),
      byItem: groupBy(policies, (p) => p.item),
      byRole: groupBy(policies, (p) => p.roles),
    };
  });
  const found = new Set([...(index.byItem.get(role) ?? []), ...(index.byRole.get(refValue(role)) ?? [])]);
  return [...found].sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

/**
 * Every Allow statement of every identity policy whose `fields` resolve; for a policy or a
 * statement that does not resolve, the undecided result to report instead.
 */
export function* allowStatements(
  ctx: RuleContext,
  fields: ReadonlyArray<keyof Statement>,
): Generator<
  { readonly policy: IdentityPolicy; readonly statement: Statement } | { readonly undecided: RuleResult }
> {
  for (const policy of identityPolicies(ctx)) {
    const ss = statementsOf(policy.document);
    if (isUnknown(ss)) {
      yield { undecided: undecided(policy.item.ref, `policy ${policy.name}`, ss) };
      continue;
    }
    for (const statement of ss) {
      const u = unknownIn(statement, ['Effect', ...fields]);
      if (u) {
        yield { undecided: undecided(policy.item.ref, `a statement of policy ${policy.name}`, u) };
        // the values it may take at deploy time (a parameter's default, both branches of Fn::If):
        // a rule fails when one of them is wrong, and stays undecided otherwise
        for (const variant of variantsOf(statement, ['Effect', ...fields]))
          if (variant.Effect === 'Allow') yield { policy, statement: variant };
      } else if (statement.Effect === 'Allow') yield { policy, statement };
    }
  }
}

/** An AWS-managed policy (arn:<partition>:iam::aws:policy/...): its content is not in the assembly. */
export const isAwsManagedPolicyArn = (arn: string): boolean => /^arn:[^:]+:iam::aws:policy\//.test(arn);

/** The customer-managed policies declared in the assembly, by their ARN (Ref) and Arn attribute. */
export function declaredManagedPolicies(ctx: RuleContext): Map<unknown, CfnItem> {
  const m = new Map<unknown, CfnItem>();
  for (const p of cfnResources(ctx, 'AWS::IAM::ManagedPolicy')) {
    m.set(refValue(p), p);
    m.set(p.resolver.resolve({ 'Fn::GetAtt': [p.logicalId, 'PolicyArn'] }), p);
  }
  return m;
}

/** Name of the platform's tenant permissions boundary: genesis-<site>-tenant-boundary. */
export const TENANT_BOUNDARY_NAME = /^genesis-[a-z0-9-]+-tenant-boundary$/;

/** The tenant boundary policies the site stacks declare, by ARN. */
export function tenantBoundaries(ctx: RuleContext): Map<unknown, CfnItem> {
  const m = new Map<unknown, CfnItem>();
  for (const [arn, p] of declaredManagedPolicies(ctx)) {
    if (
      p.stack.stackName.startsWith('Site-') &&
      typeof p.props.ManagedPolicyName === 'string' &&
      TENANT_BOUNDARY_NAME.test(p.props.ManagedPolicyName)
    )
      m.set(arn, p);
  }
  return m;
}

/**
 * The platform's own AWS accounts: the accounts of the assembly's stack environments
 * (manifest.json), and those in ARNs of the roles and managed policies it declares.
 */
export function platformAccounts(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const s of ctx.artifacts.aws?.stacks ?? [])
    if (s.account && /^\d{12}$/.test(s.account)) out.add(s.account);
  for (const item of cfnResources(ctx, ['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy'])) {
    for (const v of [refValue(item), item.resolver.resolve({ 'Fn::GetAtt': [item.logicalId, 'Arn'] })]) {
      const m = typeof v === 'string' ? /^arn:[^:]+:iam::(\d{12}):/.exec(v) : null;
      if (m) out.add(m[1]);
    }
  }
  return out;
}

// ---- conditions that pin a statement to the platform ----------------------------------------

/** What the platform itself declares: its accounts, VPC endpoints, VPCs and role ARNs. */
export interface PlatformIds {
  readonly accounts: ReadonlySet<string>;
  readonly endpoints: ReadonlySet<unknown>;
  readonly vpcs: ReadonlySet<unknown>;
  readonly roles: ReadonlySet<unknown>;
}

const platformCache = new WeakMap<object, PlatformIds>();

export function platformIds(ctx: RuleContext): PlatformIds {
  const cached = platformCache.get(ctx.artifacts);
  if (cached) return cached;
  const accounts = platformAccounts(ctx);
  accounts.add('{{AWS::AccountId}}');
  const endpoints = new Set([...cfnResources(ctx, 'AWS::EC2::VPCEndpoint')].map((e) => refValue(e)));
  const vpcs = new Set([...cfnResources(ctx, 'AWS::EC2::VPC')].map((v) => refValue(v)));
  const roles = new Set<unknown>();
  for (const r of cfnResources(ctx, 'AWS::IAM::Role'))
    roles.add(r.resolver.resolve({ 'Fn::GetAtt': [r.logicalId, 'Arn'] }));
  const ids = { accounts, endpoints, vpcs, roles };
  platformCache.set(ctx.artifacts, ids);
  return ids;
}

type PinKind = 'account' | 'org' | 'vpce' | 'vpc' | 'role';

/** Condition keys that pin who calls (lower case). */
export const PRINCIPAL_PIN_KEYS: Readonly<Record<string, PinKind>> = {
  'aws:principalaccount': 'account',
  'aws:sourceaccount': 'account',
  'kms:calleraccount': 'account',
  'aws:principalorgid': 'org',
  'aws:sourcevpce': 'vpce',
  'aws:sourcevpc': 'vpc',
  'aws:principalarn': 'role',
};

/** Condition keys that pin which resources a request may reach (lower case). */
export const RESOURCE_PIN_KEYS: Readonly<Record<string, PinKind>> = {
  's3:resourceaccount': 'account',
  'aws:resourceaccount': 'account',
  'aws:resourceorgid': 'org',
};

/** Operators that require the key to equal one of the values (no IfExists, no set prefix, no negation). */
const PINNING_OPERATOR = /^(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/** The account of an ARN or account id, when it names one. */
export function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[^:]*:(?:iam|sts)::([^:]+):/.exec(principal)?.[1];
}

/**
 * Whether the statement's conditions pin the caller (`principal`) or the resources reached
 * (`resource`) to the platform: some condition, with an operator that requires equality, tests an
 * allowed key, and every value it lists is free of wildcards and one of the platform's own
 * accounts, organisation ids, VPC endpoints, VPCs or roles. Returns the pinning key, undefined when
 * nothing pins, or the Unknown a pinning condition depends on.
 */
export function pinningKey(
  s: Statement,
  ids: PlatformIds,
  kind: 'principal' | 'resource',
): string | Unknown | undefined {
  const keys = kind === 'principal' ? PRINCIPAL_PIN_KEYS : RESOURCE_PIN_KEYS;
  let unknown: Unknown | undefined;
  for (const c of conditionEntries(s)) {
    const pin = keys[c.key];
    if (!pin || !PINNING_OPERATOR.test(c.operator)) continue;
    const values = asArray(c.value);
    const u = values.find(isUnknown);
    if (u) {
      unknown ??= u as Unknown;
      continue;
    }
    if (values.length === 0) continue;
    const ok = values.every((v) => {
      if (typeof v !== 'string' || /[*?]/.test(v.replace(/\{\{[^{}]*\}\}/g, ''))) return false;
      switch (pin) {
        case 'account':
          return ids.accounts.has(v);
        case 'org':
          return /^o-[a-z0-9]{10,32}$/.test(v);
        case 'vpce':
          return ids.endpoints.has(v);
        case 'vpc':
          return ids.vpcs.has(v);
        case 'role':
          return ids.roles.has(v);
      }
    });
    if (ok) return c.key;
  }
  return unknown;
}

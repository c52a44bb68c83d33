import { defineRule, isRecord, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided, type CfnItem } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import {
  accountOf,
  conditionEntries,
  statementsOf,
  strings,
  unknownIn,
  type Statement,
} from '../../engine/iam';
import type { RuleResult } from '../../engine/types';
import { readPartnerTrustIntent, type PartnerAccountTrust } from '../../analysis/federation/partner-trust';
import { PARTNER_TRUST_EXAMPLES } from '../../examples/partner-trust';

/** The role ARNs an exact aws:PrincipalArn condition limits the caller to, if the statement has one. */
function pinnedArns(s: Statement): string[] | undefined {
  let pinned: string[] | undefined;
  for (const c of conditionEntries(s)) {
    if (c.key !== 'aws:principalarn' || !/^(ArnEquals|StringEquals)$/.test(c.operator)) continue;
    const values = strings(c.value);
    if (values.length === 0 || values.some((v) => /[*?]/.test(v))) continue;
    pinned = pinned ? pinned.filter((v) => values.includes(v)) : values;
  }
  return pinned;
}

/** What one Allow statement of a trust policy admits from accounts other than `own`, beyond `allowed`. */
function admittedBeyond(s: Statement, own: string, allowed: ReadonlySet<string>): string[] {
  if (s.NotPrincipal !== undefined) return ['every principal but those NotPrincipal names'];
  const pinned = pinnedArns(s);
  const out: string[] = [];
  const p = principalsOf(s);
  for (const a of [...p.aws, ...p.federated]) {
    const account = a === '*' ? undefined : accountOf(a);
    if (a !== '*' && (account === undefined || account === own)) continue;
    const whole = a === '*' || /^\d{12}$/.test(a) || /:root$/.test(a);
    // What the principal admits once an exact aws:PrincipalArn condition narrows it.
    const admits = pinned
      ? pinned.filter((arn) => a === '*' || (whole ? accountOf(arn) === account : arn === a))
      : whole
        ? [a === '*' ? 'any principal ("*")' : `every principal of account ${account}`]
        : [a];
    out.push(...admits.filter((x) => !allowed.has(x)));
  }
  return out;
}

function* trustFindings(role: CfnItem, own: string, trust: PartnerAccountTrust): Generator<RuleResult> {
  const ss = statementsOf(role.props.AssumeRolePolicyDocument);
  if (isUnknown(ss)) {
    yield undecided(role.ref, 'the trust policy', ss);
    return;
  }
  for (const s of ss) {
    const u = unknownIn(s, ['Effect', 'Principal', 'NotPrincipal', 'Condition']);
    if (u) {
      yield undecided(role.ref, 'a statement of the trust policy', u);
      continue;
    }
    if (s.Effect !== 'Allow') continue;
    const beyond = admittedBeyond(s, own, trust.managerRoleArns);
    if (beyond.length)
      yield {
        resource: role.ref,
        status: 'fail',
        message: `trust policy in partner account ${own} admits ${beyond.join(', ')}; from another account it may admit only the declared manager role${trust.managerRoleArns.size === 1 ? '' : 's'} ${[...trust.managerRoleArns].join(', ') || '(none declared)'}`,
      };
  }
}

function* accessEntryFindings(entry: CfnItem, trust: PartnerAccountTrust): Generator<RuleResult> {
  const {
    PrincipalArn: principal,
    KubernetesGroups: groups,
    AccessPolicies: policies,
    Type: type,
  } = entry.props;
  const u = [principal, groups, policies, type].find(isUnknown);
  if (u) {
    yield undecided(entry.ref, 'the access entry', u);
    return;
  }
  const fail = (message: string): RuleResult => ({ resource: entry.ref, status: 'fail', message });
  const group = typeof principal === 'string' ? trust.workerGroups.get(principal) : undefined;
  if (group === undefined)
    yield fail(
      `access entry maps ${JSON.stringify(principal)}; a partner cluster maps only the manager's worker role (${[...trust.workerGroups.keys()].join(', ') || 'none declared'})`,
    );
  const extra = strings(groups).filter((g) => g !== group);
  if (extra.length)
    yield fail(
      `access entry gives group ${extra.join(', ')}, beyond the manager group ${group ?? ''}`.trim(),
    );
  const named = Array.isArray(policies)
    ? policies.map((p) => (isRecord(p) ? String(p.PolicyArn) : JSON.stringify(p)))
    : [];
  if (named.length)
    yield fail(
      `access entry associates EKS access polic${named.length === 1 ? 'y' : 'ies'} ${named.join(', ')}; the manager's rights come from the worker's RBAC only`,
    );
  if (type !== undefined && type !== 'STANDARD')
    yield fail(`access entry is of type ${String(type)}, which brings groups of its own; use STANDARD`);
}

/** Condition keys whose values name the caller: a value in a partner account admits it. */
const CALLER_KEYS = new Set(['aws:principalaccount', 'aws:sourceaccount', 'aws:principalarn']);

/** A platform role's trust: it admits nothing of a partner's account (the trust runs partner -> manager only). */
function* platformTrustFindings(role: CfnItem, partnerAccounts: ReadonlySet<string>): Generator<RuleResult> {
  const ss = statementsOf(role.props.AssumeRolePolicyDocument);
  if (isUnknown(ss)) return; // GEN-AWS-IAM-005 reports an unreadable trust policy
  for (const s of ss) {
    if (s.Effect !== 'Allow' || unknownIn(s, ['Effect', 'Principal', 'Condition'])) continue;
    const p = principalsOf(s);
    const named = [
      ...p.aws,
      ...p.federated,
      ...conditionEntries(s)
        .filter((c) => CALLER_KEYS.has(c.key))
        .flatMap((c) => strings(c.value)),
    ];
    const partners = [
      ...new Set(named.map((a) => accountOf(a) ?? '').filter((a) => partnerAccounts.has(a))),
    ].sort();
    if (partners.length)
      yield {
        resource: role.ref,
        status: 'fail',
        message: `platform role's trust policy admits principals of partner account${partners.length === 1 ? '' : 's'} ${partners.join(', ')}; a partner's account is trusted by no platform role (only the partner's worker role trusts the manager)`,
      };
  }
}

export default defineRule({
  id: 'GEN-AWS-FED-001',
  title: "A partner's AWS account trusts only the federation manager's role",
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-3', 'AC-6', 'AC-20', 'IA-9', 'SA-9(2)'],
  rationale:
    "A partner site hosted on AWS is a trust boundary of its own: the platform reaches its clusters only as a federation's manager, through one role the manager's MultiKueue role assumes and one Kubernetes group whose rights the worker's RBAC limits to the federated tenants' namespaces. A trust policy that admits an account root, \"*\" under a weak condition, NotPrincipal or a second statement for another account, or an access entry that adds groups (system:masters) or an EKS access policy (cluster admin), gives someone else the partner's cluster. Partner stacks are those whose account is none of platform.json's AWS sites; the manager role and group are what platform.json declares for that account. The trust runs one way: no role of a platform stack admits a principal of a partner's account (by principal, or by an aws:PrincipalAccount, aws:SourceAccount or aws:PrincipalArn condition), which GEN-AWS-IAM-005 cannot tell since the partner stack's account is in the assembly.",
  remediation:
    'Trust only the declared manager role ARN (arn:<partition>:iam::<platform account>:role/genesis-<manager>-multikueue), map only the worker role genesis-multikueue-<federation> to only genesis:multikueue:<federation>, with no access policy; trust no partner account from a platform role; synthesize the stacks again rather than editing them.',
  *check(ctx) {
    const intent = readPartnerTrustIntent(ctx.artifacts);
    if (!intent) return;
    const empty: PartnerAccountTrust = { managerRoleArns: new Set(), workerGroups: new Map() };
    const partnerOf = (item: CfnItem): PartnerAccountTrust | undefined => {
      const account = item.stack.account;
      if (!account || intent.platformAccounts.has(account)) return undefined;
      return intent.partners.get(account) ?? empty;
    };
    for (const role of cfnResources(ctx, 'AWS::IAM::Role')) {
      const trust = partnerOf(role);
      if (trust) yield* trustFindings(role, role.stack.account!, trust);
      else if (role.stack.account && intent.platformAccounts.has(role.stack.account))
        yield* platformTrustFindings(role, intent.partnerAccounts);
    }
    for (const entry of cfnResources(ctx, 'AWS::EKS::AccessEntry')) {
      const trust = partnerOf(entry);
      if (trust) yield* accessEntryFindings(entry, trust);
    }
  },
  examples: PARTNER_TRUST_EXAMPLES,
});

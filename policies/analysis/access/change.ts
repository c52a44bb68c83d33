/**
 * Who can change access in one step: principals whose policies let them write IAM (tag a role
 * with a grant key, put or attach a policy, create a role, pass a role, change a boundary), rewrite
 * a bucket or key policy, create a KMS grant, map an identity into a cluster (EKS access entries,
 * Pod Identity associations), move an endpoint id in SSM; and Kubernetes subjects that may
 * escalate, bind, impersonate, or write RBAC, volumes, namespaces or admission guardrails.
 */
import type { RuleContext } from '../../engine/types';
import type { AwsModel } from './aws-model';
import { callers } from './aws-matrix';
import { authorize } from './evaluate';
import { request } from './principals';
import { changesAccess, rbacGrants } from './rbac';
import { accessEntries, subjectTenants } from './tenancy';
import type { Witness } from './types';

export interface Changer {
  readonly principal: string;
  readonly tenants: readonly string[];
  readonly actions: readonly string[];
  readonly undecided: boolean;
  readonly witnesses: readonly Witness[];
}

function awsProbes(model: AwsModel): Array<[string, string]> {
  const p = model.partition;
  const a = model.account ?? '{{AWS::AccountId}}';
  const r = model.stores[0]?.region ?? '{{AWS::Region}}';
  const role = `arn:${p}:iam::${a}:role/genesis-any-data`;
  const bucket = model.stores.find((s) => s.kind === 'dataset')?.arn ?? `arn:${p}:s3:::genesis-${a}-any`;
  return [
    ...[
      'iam:TagRole',
      'iam:UntagRole',
      'iam:PutRolePolicy',
      'iam:AttachRolePolicy',
      'iam:CreateRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:DeleteRolePermissionsBoundary',
      'iam:PassRole',
    ].map((x): [string, string] => [x, role]),
    ['iam:CreatePolicyVersion', `arn:${p}:iam::${a}:policy/genesis-any-data-grants-1`],
    ['s3:PutBucketPolicy', bucket],
    ['s3:DeleteBucketPolicy', bucket],
    ['kms:PutKeyPolicy', `arn:${p}:kms:${r}:${a}:key/any`],
    ['kms:CreateGrant', `arn:${p}:kms:${r}:${a}:key/any`],
    ...[
      'eks:CreateAccessEntry',
      'eks:AssociateAccessPolicy',
      'eks:UpdateAccessEntry',
      'eks:CreatePodIdentityAssociation',
    ].map((x): [string, string] => [x, `arn:${p}:eks:${r}:${a}:cluster/any`]),
    ['ssm:PutParameter', `arn:${p}:ssm:${r}:${a}:parameter/genesis/any`],
  ];
}

/** The roles of the assembly that can change access, by their own policies and boundary. */
function awsChangers(model: AwsModel, tenantsOf: (principal: string) => string[]): Changer[] {
  const out: Changer[] = [];
  const probes = awsProbes(model);
  for (const c of callers(model)) {
    if (!c.role) continue;
    const actions: string[] = [];
    const witnesses: Witness[] = [];
    let undecided = false;
    for (const [action, resource] of probes) {
      const d = authorize(request(c.principal, action, resource, {}), {
        identity: c.role.identity,
        boundary: c.role.boundary,
        sameAccount: true,
        side: 'identity',
      });
      if (d.allowed === false) continue;
      actions.push(d.allowed === true ? action : `${action}?`);
      undecided ||= d.allowed === 'undecided';
      witnesses.push(...d.witnesses);
    }
    if (actions.length)
      out.push({
        principal: c.principal.id,
        tenants: tenantsOf(c.principal.id),
        actions,
        undecided,
        witnesses,
      });
  }
  return out;
}

/** Kubernetes subjects (and EKS access entries) that can change access. */
function k8sChangers(ctx: RuleContext, roleOwners: (arn: unknown) => string[]): Changer[] {
  const entries = accessEntries(ctx);
  const out: Changer[] = [];
  for (const g of rbacGrants(ctx)) {
    const actions = g.unknownRole ? [`${g.unknownRole}?`] : changesAccess(g.rules);
    if (!actions.length) continue;
    out.push({
      principal: `k8s:${g.cluster}/${String(g.subject.kind)} ${String(g.subject.name)}${g.namespace ? ` in ${g.namespace}` : ''}`,
      tenants: subjectTenants(ctx, g.cluster, g.subject, entries, roleOwners),
      actions,
      undecided: g.unknownRole !== undefined,
      witnesses: [
        {
          file: g.doc.file,
          resource: `k8s:${g.doc.site}/${g.doc.cluster}/${g.doc.object.kind}/${g.doc.object.metadata.namespace ?? '-'}/${g.doc.object.metadata.name}`,
          policy: 'subjects',
          index: g.index,
          line: g.doc.line,
        },
      ],
    });
  }
  for (const e of entries) {
    const admin = e.policies.filter((p) => /^AmazonEKS(ClusterAdmin|Admin)Policy$/.test(p.name));
    if (!admin.length) continue;
    out.push({
      principal: `eks:${e.cluster ?? '?'}/access entry ${String(e.principalArn)}`,
      tenants: roleOwners(e.principalArn),
      actions: admin.map((p) => `${p.name}${p.namespaces ? ` in ${p.namespaces.join(',')}` : ''}`),
      undecided: false,
      witnesses: [
        {
          file: e.item.stack.file,
          resource: `aws:${e.item.stack.stackName}/${e.item.logicalId}`,
          policy: 'AccessPolicies',
          index: 0,
          line: e.item.stack.resourceLines.get(e.item.logicalId),
        },
      ],
    });
  }
  return out;
}

export function changers(
  ctx: RuleContext,
  model: AwsModel | undefined,
  tenantsOf: (principal: string) => string[],
  roleOwners: (arn: unknown) => string[],
): Changer[] {
  return [
    ...(model ? awsChangers(model, tenantsOf) : []),
    ...(ctx.artifacts.k8s ? k8sChangers(ctx, roleOwners) : []),
  ].sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
}

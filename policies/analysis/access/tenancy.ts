/**
 * Who acts for which tenant: an IAM role acts for a tenant whose namespace's service account it
 * is bound to (Pod Identity association, IRSA annotation) or whose members its trust policy admits
 * (aws:PrincipalTag/genesis:tenant); EKS access entries give a role's holders Kubernetes groups
 * and access policies; a Kubernetes subject is a tenant's by its name, by a namespace of the
 * tenant, or by an access entry that hands the tenant's role its group.
 */
import { asArray, cfnResources, isRecord, type CfnItem } from '../../engine/cfn/template';
import { conditionEntries, statementsOf } from '../../engine/iam';
import {
  annotations,
  clusters,
  intrinsicTenantOfSubject,
  k8sDocs,
  labelledTenantNamespaces,
  ROLE_ARN_ANNOTATION,
  tenantNamespaceIndex,
} from '../../engine/k8s';
import type { Subject } from '../../engine/rbac';
import { tenantEvidence } from '../../engine/tenants';
import type { RuleContext } from '../../engine/types';
import type { AwsRole } from './aws-model';
import type { Witness } from './types';
import { groupBy, memo } from '../../engine/memo';

const itemWitness = (item: CfnItem, policy: string, index = 0): Witness => ({
  file: item.stack.file,
  resource: `aws:${item.stack.stackName}/${item.logicalId}`,
  policy,
  index,
  line: item.stack.resourceLines.get(item.logicalId),
});

/** A cluster's `<site>/<cluster>` key by its name (EKS resources name the cluster only). */
export function clusterKeyOf(ctx: RuleContext, name: unknown): string | undefined {
  const c = clusters(ctx).find(([, cl]) => cl === name);
  return c ? `${c[0]}/${c[1]}` : undefined;
}

export interface AccessEntry {
  readonly item: CfnItem;
  readonly cluster?: string;
  readonly principalArn: unknown;
  readonly groups: readonly string[];
  /** Access policies: the policy name and the namespaces it covers (undefined: the whole cluster). */
  readonly policies: ReadonlyArray<{ readonly name: string; readonly namespaces?: readonly string[] }>;
}

/** The EKS access entries of the assembly (read once per artifact set). */
export function accessEntries(ctx: RuleContext): readonly AccessEntry[] {
  return memo(ctx.artifacts, 'access:entries', () => readEntries(ctx));
}

function readEntries(ctx: RuleContext): AccessEntry[] {
  return [...cfnResources(ctx, 'AWS::EKS::AccessEntry')].map((item) => ({
    item,
    cluster: clusterKeyOf(ctx, item.props.ClusterName),
    principalArn: item.props.PrincipalArn,
    groups: asArray(item.props.KubernetesGroups).filter((g): g is string => typeof g === 'string'),
    policies: asArray(item.props.AccessPolicies).flatMap((p) => {
      if (!isRecord(p)) return [];
      const name = typeof p.PolicyArn === 'string' ? p.PolicyArn.replace(/^.*\//, '') : String(p.PolicyArn);
      const scope = isRecord(p.AccessScope) ? p.AccessScope : {};
      return [
        { name, namespaces: scope.Type === 'namespace' ? asArray(scope.Namespaces).map(String) : undefined },
      ];
    }),
  }));
}

/** Tenants a role acts for, each with the resource that makes it so (undefined: the role's own tags, name or stack). */
export function roleTenants(
  ctx: RuleContext,
  roles: readonly AwsRole[],
): Map<AwsRole, Map<string, Witness | undefined>> {
  const out = new Map<AwsRole, Map<string, Witness | undefined>>(roles.map((r) => [r, new Map()]));
  const byName = new Map<unknown, AwsRole>();
  for (const r of roles) for (const n of r.names) byName.set(n, r);
  const index = tenantNamespaceIndex(ctx);
  for (const a of cfnResources(ctx, 'AWS::EKS::PodIdentityAssociation')) {
    const role = byName.get(a.props.RoleArn);
    const cluster = clusterKeyOf(ctx, a.props.ClusterName);
    const tenant = cluster
      ? index.get(`${cluster}|${String(a.props.Namespace)}`)
      : /^tenant-(.+)$/.exec(String(a.props.Namespace))?.[1];
    if (role && tenant) out.get(role)?.set(tenant, itemWitness(a, 'PodIdentityAssociation'));
  }
  for (const sa of k8sDocs(ctx, 'ServiceAccount')) {
    const role = byName.get(annotations(sa.object)[ROLE_ARN_ANNOTATION]);
    const tenant = index.get(`${sa.site}/${sa.cluster}|${sa.object.metadata.namespace}`);
    if (role && tenant)
      out.get(role)?.set(tenant, {
        file: sa.file,
        resource: `k8s:${sa.site}/${sa.cluster}/ServiceAccount/${sa.object.metadata.namespace}/${sa.object.metadata.name}`,
        policy: ROLE_ARN_ANNOTATION,
        index: 0,
        line: sa.line,
      });
  }
  for (const r of roles) {
    const trust = statementsOf(r.item.props.AssumeRolePolicyDocument);
    if (Array.isArray(trust)) {
      trust.forEach((s, i) => {
        if (s.Effect !== 'Allow') return;
        for (const c of conditionEntries(s))
          if (c.key === 'aws:principaltag/genesis:tenant' && /^String(Equals|Like)$/.test(c.operator))
            for (const t of asArray(c.value))
              if (typeof t === 'string')
                out.get(r)?.set(t, itemWitness(r.item, 'AssumeRolePolicyDocument', i));
      });
    }
    const e = tenantEvidence(r.item);
    const own = e.tag ?? e.name ?? e.stack;
    if (own !== undefined && !out.get(r)?.has(own)) out.get(r)?.set(own, undefined);
  }
  return out;
}

export const ALL_TENANTS = '*';

/** A namespace index computed once per artifact set (subjects are asked about per volume). */
function once(
  ctx: RuleContext,
  key: string,
  f: (ctx: RuleContext) => ReadonlyMap<string, string>,
): ReadonlyMap<string, string> {
  return memo(ctx.artifacts, `access:tenancy:${key}`, () => f(ctx));
}

/** The tenants a Kubernetes subject acts for (`*`: every tenant, e.g. system:authenticated). */
export function subjectTenants(
  ctx: RuleContext,
  cluster: string,
  s: Subject,
  entries: readonly AccessEntry[],
  roleOwners: (arn: unknown) => string[],
): string[] {
  if (
    (s.kind === 'Group' &&
      typeof s.name === 'string' &&
      ['system:authenticated', 'system:serviceaccounts', 'system:unauthenticated'].includes(s.name)) ||
    (s.kind === 'User' && s.name === 'system:anonymous')
  )
    return [ALL_TENANTS];
  const out = new Set<string>();
  const own = intrinsicTenantOfSubject(cluster, s, once(ctx, 'labelled', labelledTenantNamespaces));
  if (own) out.add(own);
  if (s.kind === 'ServiceAccount') {
    const t = once(ctx, 'index', tenantNamespaceIndex).get(`${cluster}|${String(s.namespace)}`);
    if (t) out.add(t);
  }
  if (s.kind === 'Group' && typeof s.name === 'string')
    for (const e of entriesByGroup(entries).get(JSON.stringify([cluster, s.name])) ?? [])
      for (const t of roleOwners(e.principalArn)) out.add(t);
  return [...out].sort();
}

const byGroup = new WeakMap<readonly AccessEntry[], Map<string, AccessEntry[]>>();

/** Access entries by cluster and Kubernetes group (a subject is asked about per binding and volume). */
function entriesByGroup(entries: readonly AccessEntry[]): Map<string, AccessEntry[]> {
  let m = byGroup.get(entries);
  if (!m) {
    m = groupBy(entries, (e) => e.groups.map((g) => JSON.stringify([e.cluster ?? null, g])));
    byGroup.set(entries, m);
  }
  return m;
}

/**
 * Kubernetes RBAC as the API server evaluates it, for the questions the access analysis asks:
 * which subjects may run pods (and so mount a namespace's volumes) in a namespace, and which may
 * change access (escalate, bind, impersonate, write RBAC, volumes or admission guardrails).
 * Roles and ClusterRoles of the artifacts, aggregated ClusterRoles, and the built-in ones.
 */
import { clusterOf, isRec, k8sDocs, labels, selectorMatches } from '../../engine/k8s';
import { roleRefOf, rulesOf, subjectsOf, type Subject } from '../../engine/rbac';
import type { K8sDocument, RuleContext } from '../../engine/types';
import { memo } from '../../engine/memo';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const ALL: PolicyRule = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
const RUN_PODS: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['pods', 'pods/exec', 'pods/attach', 'persistentvolumeclaims'],
    verbs: ['create', 'update', 'patch', 'delete', 'get', 'list', 'watch'],
  },
  {
    apiGroups: ['apps', 'batch'],
    resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs'],
    verbs: ['create', 'update', 'patch', 'delete', 'get', 'list', 'watch'],
  },
];

/** Built-in ClusterRoles (their rules as far as running pods and changing access go). */
const BUILTIN: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': [ALL],
  admin: [
    ...RUN_PODS,
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['roles', 'rolebindings'],
      verbs: ['create', 'update', 'patch', 'delete', 'get', 'list', 'watch'],
    },
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate', 'create'] },
  ],
  edit: [...RUN_PODS, { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }],
  view: [
    {
      apiGroups: ['', 'apps', 'batch'],
      resources: ['pods', 'persistentvolumeclaims', 'deployments', 'jobs'],
      verbs: ['get', 'list', 'watch'],
    },
  ],
};
const AGGREGATES_TO: Readonly<Record<string, readonly string[]>> = {
  admin: ['admin', 'edit', 'view'],
  edit: ['edit', 'view'],
  view: ['view'],
};

const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
/** A rule of a Role or ClusterRole as the evaluator reads it (non-strings dropped). */
export const asRule = (r: Record<string, unknown>): PolicyRule => ({
  apiGroups: strs(r.apiGroups),
  resources: strs(r.resources),
  verbs: strs(r.verbs),
});

/** Whether a rule allows a verb on a resource of an API group. */
export function ruleAllows(r: PolicyRule, group: string, resource: string, verb: string): boolean {
  return (
    (r.apiGroups.includes('*') || r.apiGroups.includes(group)) &&
    (r.resources.includes('*') || r.resources.includes(resource)) &&
    (r.verbs.includes('*') || r.verbs.includes(verb))
  );
}

export interface Grant {
  readonly cluster: string;
  /** The namespace, or undefined for every namespace (a ClusterRoleBinding). */
  readonly namespace?: string;
  readonly subject: Subject;
  readonly rules: readonly PolicyRule[];
  readonly doc: K8sDocument;
  readonly index: number;
  /** The roleRef names a role the artifacts do not hold (nor a built-in): its rules are unknown. */
  readonly unknownRole?: string;
}

/** Rules of a ClusterRole by name on one cluster: declared (with aggregation) or built in. */
function clusterRoleRules(ctx: RuleContext, cluster: string, name: string): PolicyRule[] | undefined {
  const roles = k8sDocs(ctx, 'ClusterRole').filter((d) => clusterOf(d) === cluster);
  const declared = roles.find((d) => d.object.metadata.name === name);
  const aggregated = (selectors: unknown[]): PolicyRule[] =>
    roles
      .filter((d) => d !== declared && selectors.some((s) => selectorMatches(s, labels(d.object))))
      .flatMap((d) => rulesOf(d).map(asRule));
  if (declared) {
    const agg = isRec(declared.object.aggregationRule)
      ? declared.object.aggregationRule.clusterRoleSelectors
      : undefined;
    return [...rulesOf(declared).map(asRule), ...(Array.isArray(agg) ? aggregated(agg) : [])];
  }
  const builtin = BUILTIN[name];
  if (!builtin) return undefined;
  const into = AGGREGATES_TO[name] ?? [];
  const extra = roles
    .filter((d) =>
      into.some((n) => labels(d.object)[`rbac.authorization.k8s.io/aggregate-to-${n}`] === 'true'),
    )
    .flatMap((d) => rulesOf(d).map(asRule));
  return [...builtin, ...extra];
}

/** Every (subject, namespace, rules) the bindings of the artifacts give (found once per artifact set). */
export function rbacGrants(ctx: RuleContext): readonly Grant[] {
  return memo(ctx.artifacts, 'access:rbacGrants', () => buildGrants(ctx));
}

function buildGrants(ctx: RuleContext): Grant[] {
  // Roles by cluster, namespace and name (the first of the artifacts' order, as a search would find)
  const roles = new Map<string, K8sDocument>();
  for (const r of k8sDocs(ctx, 'Role')) {
    const key = JSON.stringify([
      clusterOf(r),
      r.object.metadata.namespace ?? 'default',
      r.object.metadata.name,
    ]);
    if (!roles.has(key)) roles.set(key, r);
  }
  const clusterRoles = new Map<string, PolicyRule[] | undefined>();
  const out: Grant[] = [];
  for (const b of k8sDocs(ctx, ['RoleBinding', 'ClusterRoleBinding'])) {
    const cluster = clusterOf(b);
    const ref = roleRefOf(b);
    const name = typeof ref.name === 'string' ? ref.name : '';
    const ns = b.object.kind === 'RoleBinding' ? (b.object.metadata.namespace ?? 'default') : undefined;
    let rules: PolicyRule[] | undefined;
    if (ref.kind === 'Role') {
      const role = roles.get(JSON.stringify([cluster, ns, name]));
      rules = role?.object ? rulesOf(role).map(asRule) : undefined;
    } else if (ref.kind === 'ClusterRole') {
      const key = JSON.stringify([cluster, name]);
      if (!clusterRoles.has(key)) clusterRoles.set(key, clusterRoleRules(ctx, cluster, name));
      rules = clusterRoles.get(key);
    }
    subjectsOf(b).forEach((subject, index) =>
      out.push({
        cluster,
        namespace: ns,
        subject,
        rules: rules ?? [],
        doc: b,
        index,
        unknownRole: rules ? undefined : `${String(ref.kind)} ${name}`,
      }),
    );
  }
  return out;
}

/** Whether rules let a subject run pods with a namespace's volumes (create pods, workloads, or exec into pods). */
export const runsPods = (rules: readonly PolicyRule[]): boolean =>
  rules.some(
    (r) =>
      ruleAllows(r, '', 'pods', 'create') ||
      ruleAllows(r, '', 'pods/exec', 'create') ||
      ['deployments', 'statefulsets', 'daemonsets', 'replicasets'].some((x) =>
        ruleAllows(r, 'apps', x, 'create'),
      ) ||
      ['jobs', 'cronjobs'].some((x) => ruleAllows(r, 'batch', x, 'create')),
  );

/** What in rules lets a subject change access in one step; empty when nothing. */
export function changesAccess(rules: readonly PolicyRule[]): string[] {
  const out: string[] = [];
  const rbac = 'rbac.authorization.k8s.io';
  for (const verb of ['escalate', 'bind'])
    if (rules.some((r) => ['roles', 'clusterroles'].some((x) => ruleAllows(r, rbac, x, verb))))
      out.push(verb);
  if (
    rules.some((r) => ['users', 'groups', 'serviceaccounts'].some((x) => ruleAllows(r, '', x, 'impersonate')))
  )
    out.push('impersonate');
  for (const [group, res] of [
    [rbac, 'roles'],
    [rbac, 'rolebindings'],
    [rbac, 'clusterroles'],
    [rbac, 'clusterrolebindings'],
    ['', 'persistentvolumes'],
    ['admissionregistration.k8s.io', 'validatingadmissionpolicies'],
    ['admissionregistration.k8s.io', 'validatingadmissionpolicybindings'],
    ['', 'namespaces'],
  ])
    if (rules.some((r) => ['create', 'update', 'patch'].some((v) => ruleAllows(r, group, res, v))))
      out.push(`write ${res}`);
  return out;
}

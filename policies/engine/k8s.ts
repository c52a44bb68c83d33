/** Kubernetes objects as found in the YAML: kinds, pod specs, tenant namespaces, quantities. */
import { groupBy, memo } from './memo';
import type { K8sDocument, K8sObject, ResourceRef, RuleContext } from './types';
import { ANNOTATION, LABEL, WELL_KNOWN_LABEL } from '../../infra/contract';
import { isRecord } from '../../infra/util/records';

/** Label and name conventions of the artifact contract. */
export const TENANT_LABEL = LABEL.tenant;
export const POOL_LABEL = LABEL.pool;
export const DATASET_LABEL = LABEL.dataset;
export const ROLE_ARN_ANNOTATION = ANNOTATION.roleArn;
export { tenantGroupName, tenantNamespace } from '../../infra/contract';

/** The documents of a kind, in document order (from an index built once per artifact set). */
function docsByKind(ctx: RuleContext): Map<string, K8sDocument[]> {
  return memo(ctx.artifacts, 'k8s:byKind', () =>
    groupBy(ctx.artifacts.k8s?.documents ?? [], (d) => d.object.kind),
  );
}

/** Document order, for merging the lists of several kinds. */
function docOrder(ctx: RuleContext): Map<K8sDocument, number> {
  return memo(
    ctx.artifacts,
    'k8s:order',
    () => new Map((ctx.artifacts.k8s?.documents ?? []).map((d, i) => [d, i])),
  );
}

/** Documents of the given kinds (all when omitted), in document order. The list is shared: do not modify it. */
export function k8sDocs(ctx: RuleContext, kind?: string | readonly string[]): readonly K8sDocument[] {
  if (kind === undefined) return ctx.artifacts.k8s?.documents ?? [];
  if (typeof kind === 'string') return docsByKind(ctx).get(kind) ?? [];
  const order = docOrder(ctx);
  return [...new Set(kind)]
    .flatMap((k) => docsByKind(ctx).get(k) ?? [])
    .sort((a, b) => order.get(a)! - order.get(b)!);
}

/** `<site>/<cluster>`: the cluster an object belongs to, from its path under k8s/. */
export const clusterOf = (d: K8sDocument): string => `${d.site}/${d.cluster}`;

export const labels = (o: K8sObject): Record<string, string> =>
  (o.metadata.labels ?? {}) as Record<string, string>;
export const annotations = (o: K8sObject): Record<string, string> =>
  (o.metadata.annotations ?? {}) as Record<string, string>;

export const isRec = isRecord;

/** The spec of an object as a record (empty when absent). */
export const specOf = (o: K8sObject): Record<string, unknown> => (isRec(o.spec) ? o.spec : {});

export { podSpecs, type PodSpecAt } from '../../infra/util/pod-specs';

export interface ContainerAt {
  readonly container: Record<string, unknown>;
  readonly name: string;
  readonly kind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

export function containersOf(spec: Record<string, unknown>): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isRec(c))
        out.push({ container: c, name: typeof c.name === 'string' ? c.name : `${kind}[${i}]`, kind });
    });
  }
  return out;
}

/** The tenant a namespace name stands for under the naming contract (tenant-<id>). */
export const tenantOfNamespaceName = (name: unknown): string | undefined =>
  typeof name === 'string' ? /^tenant-(.+)$/.exec(name)?.[1] : undefined;

/**
 * Platform system namespaces: the only namespaces whose workloads the Pod Security and host-path
 * rules leave to the platform's own review (they run node agents that need host access). Every
 * other namespace, tenant or not, is judged: a workload placed in `default` or in a namespace
 * nobody labelled is no less able to take over a node.
 */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'gpu-operator',
  'kueue-system',
]);

/** Kinds that run pods (a namespace-less one lands in `default` when applied). */
const WORKLOAD_KINDS = new Set([
  'Pod',
  'PodTemplate',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'JobSet',
  'RayJob',
  'RayCluster',
  'PyTorchJob',
  'MPIJob',
  'TFJob',
  'LeaderWorkerSet',
]);

/**
 * Whether the workload rules judge an object's pod specs: any namespaced object outside the
 * platform system namespaces, or a workload kind without a namespace (it is applied to `default`).
 */
export function workloadJudged(index: ReadonlyMap<string, string>, d: K8sDocument): boolean {
  if (tenantOfDoc(index, d) !== undefined) return true;
  const ns = d.object.metadata.namespace;
  if (typeof ns === 'string') return !SYSTEM_NAMESPACES.has(ns);
  return WORKLOAD_KINDS.has(d.object.kind);
}

/**
 * The tenant an RBAC subject is by its own name, whatever binds it: the group genesis:tenant:<id>,
 * a ServiceAccount of namespace tenant-<id> (or of a namespace labelled for <id>), its user name
 * system:serviceaccount:tenant-<id>:<sa> and the group system:serviceaccounts:tenant-<id>.
 * `labelled` maps `<cluster>|<namespace>` to the tenant of declared, labelled namespaces.
 */
export function intrinsicTenantOfSubject(
  cluster: string,
  s: { kind?: unknown; name?: unknown; namespace?: unknown },
  labelled: ReadonlyMap<string, string>,
): string | undefined {
  if (s.kind === 'ServiceAccount')
    return typeof s.namespace === 'string'
      ? (labelled.get(`${cluster}|${s.namespace}`) ?? tenantOfNamespaceName(s.namespace))
      : undefined;
  if (typeof s.name !== 'string') return undefined;
  const group = /^genesis:tenant:(.+)$/.exec(s.name)?.[1];
  if (group !== undefined && (s.kind === 'Group' || s.kind === 'User')) return group;
  const saUser = /^system:serviceaccount:([^:]+):.+$/.exec(s.name)?.[1];
  if (saUser !== undefined && s.kind === 'User')
    return labelled.get(`${cluster}|${saUser}`) ?? tenantOfNamespaceName(saUser);
  const saGroup = /^system:serviceaccounts:([^:]+)$/.exec(s.name)?.[1];
  if (saGroup !== undefined && s.kind === 'Group')
    return labelled.get(`${cluster}|${saGroup}`) ?? tenantOfNamespaceName(saGroup);
  return undefined;
}

/** `<cluster>|<namespace>` -> tenant for declared Namespaces that carry the tenant label. */
export function labelledTenantNamespaces(ctx: RuleContext): ReadonlyMap<string, string> {
  return memo(ctx.artifacts, 'k8s:labelledTenantNamespaces', () => buildLabelledTenantNamespaces(ctx));
}

function buildLabelledTenantNamespaces(ctx: RuleContext): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of k8sDocs(ctx, 'Namespace')) {
    const t = labels(d.object)[TENANT_LABEL];
    if (typeof t === 'string') m.set(`${clusterOf(d)}|${d.object.metadata.name}`, t);
  }
  return m;
}

/**
 * Namespaces a tenant uses without being named or labelled for it: where a RoleBinding names a
 * tenant subject (first tenant found, in document order) or a LocalQueue feeds the tenant's
 * ClusterQueue tenant-<id>. Such a namespace is the tenant's for the tenancy rules, so a namespace
 * left unlabelled does not escape them; GEN-K8S-TEN-016 fails the binding itself.
 */
export function tenantUsedNamespaces(ctx: RuleContext): ReadonlyMap<string, string> {
  return memo(ctx.artifacts, 'k8s:tenantUsedNamespaces', () => buildTenantUsedNamespaces(ctx));
}

function buildTenantUsedNamespaces(ctx: RuleContext): Map<string, string> {
  const labelled = labelledTenantNamespaces(ctx);
  const m = new Map<string, string>();
  for (const b of k8sDocs(ctx, ['RoleBinding', 'LocalQueue'])) {
    const ns = b.object.metadata.namespace;
    if (typeof ns !== 'string') continue;
    const key = `${clusterOf(b)}|${ns}`;
    if (m.has(key)) continue;
    let t: string | undefined;
    if (b.object.kind === 'LocalQueue') t = tenantOfNamespaceName(specOf(b.object).clusterQueue);
    else
      for (const s of Array.isArray(b.object.subjects) ? (b.object.subjects as unknown[]) : []) {
        t = isRec(s) ? intrinsicTenantOfSubject(clusterOf(b), s, labelled) : undefined;
        if (t !== undefined) break;
      }
    if (t !== undefined) m.set(key, t);
  }
  return m;
}

/**
 * Tenant namespaces: Namespaces labelled with a tenant, named tenant-<id>, or where a tenant
 * subject is bound or a tenant queue is used (see tenantUsedNamespaces). Any one is enough, so
 * that removing the label (or never setting it) does not take a namespace out of the tenancy
 * rules; GEN-K8S-TEN-014 checks that label and name agree.
 */
export function tenantNamespaces(ctx: RuleContext): ReadonlyArray<{ doc: K8sDocument; tenant: string }> {
  return memo(ctx.artifacts, 'k8s:tenantNamespaces', () => buildTenantNamespaces(ctx));
}

function buildTenantNamespaces(ctx: RuleContext): Array<{ doc: K8sDocument; tenant: string }> {
  const used = tenantUsedNamespaces(ctx);
  const out: Array<{ doc: K8sDocument; tenant: string }> = [];
  for (const d of k8sDocs(ctx, 'Namespace')) {
    const tenant =
      labels(d.object)[TENANT_LABEL] ??
      tenantOfNamespaceName(d.object.metadata.name) ??
      used.get(`${clusterOf(d)}|${d.object.metadata.name}`);
    if (typeof tenant === 'string') out.push({ doc: d, tenant });
  }
  return out;
}

/**
 * `<site>/<cluster>|<namespace>` -> tenant, for declared tenant namespaces, for every namespace
 * named tenant-<id> that an object lives in, declared or not, and for namespaces a tenant uses.
 */
export function tenantNamespaceIndex(ctx: RuleContext): ReadonlyMap<string, string> {
  return memo(ctx.artifacts, 'k8s:tenantNamespaceIndex', () => buildTenantNamespaceIndex(ctx));
}

function buildTenantNamespaceIndex(ctx: RuleContext): Map<string, string> {
  const m = new Map<string, string>();
  for (const { doc, tenant } of tenantNamespaces(ctx))
    m.set(`${clusterOf(doc)}|${doc.object.metadata.name}`, tenant);
  for (const d of ctx.artifacts.k8s?.documents ?? []) {
    const t = tenantOfNamespaceName(d.object.metadata.namespace);
    const key = `${clusterOf(d)}|${d.object.metadata.namespace}`;
    if (t !== undefined && !m.has(key)) m.set(key, t);
  }
  for (const [key, t] of tenantUsedNamespaces(ctx)) if (!m.has(key)) m.set(key, t);
  return m;
}

/** The tenant whose namespace holds a document, if any. */
export function tenantOfDoc(index: ReadonlyMap<string, string>, d: K8sDocument): string | undefined {
  const ns = d.object.metadata.namespace;
  return ns === undefined ? undefined : index.get(`${clusterOf(d)}|${ns}`);
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a number (NaN when it is not one). */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return NaN;
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

/** GPU extended resources: nvidia.com/gpu, nvidia.com/mig-*, amd.com/gpu. */
export const isGpuResource = (name: string): boolean =>
  /^(nvidia\.com\/(gpu|mig-.+)|amd\.com\/gpu)$/.test(name);

/** The cluster as a whole (for findings about something missing from a cluster). */
export const clusterRef = (site: string, cluster: string): ResourceRef => ({
  target: 'file',
  file: `k8s/${site}/${cluster}`,
  key: `k8s:${site}/${cluster}`,
});

export const refOf = (doc: K8sDocument): ResourceRef => ({ target: 'k8s', doc });

/** Clusters that appear in the artifacts, as [site, cluster] pairs (found once per artifact set). */
export function clusters(ctx: RuleContext): ReadonlyArray<readonly [string, string]> {
  return memo(ctx.artifacts, 'k8s:clusters', () => {
    const seen = new Map<string, [string, string]>();
    for (const d of ctx.artifacts.k8s?.documents ?? []) seen.set(clusterOf(d), [d.site, d.cluster]);
    return [...seen.values()].sort((a, b) => (`${a[0]}/${a[1]}` < `${b[0]}/${b[1]}` ? -1 : 1));
  });
}

/** Documents of a kind in one namespace of one cluster. */
export const inNamespace = (
  ctx: RuleContext,
  kind: string,
  cluster: string,
  ns: string | undefined,
): readonly K8sDocument[] =>
  memo(ctx.artifacts, 'k8s:byNamespace', () =>
    groupBy(ctx.artifacts.k8s?.documents ?? [], (d) =>
      namespaceKey(d.object.kind, clusterOf(d), d.object.metadata.namespace),
    ),
  ).get(namespaceKey(kind, cluster, ns)) ?? [];

/** Index key of a kind in a namespace of a cluster; an absent or non-string namespace never equals a name. */
const namespaceKey = (kind: unknown, cluster: string, ns: unknown): string =>
  JSON.stringify([
    kind,
    cluster,
    typeof ns === 'string' ? ns : ns === undefined ? null : { other: String(ns) },
  ]);

/** Whether a label selector (matchLabels, matchExpressions) selects an object with `objLabels`. An absent selector selects everything. */
export function selectorMatches(selector: unknown, objLabels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isRec(selector)) return false;
  const ml = isRec(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (objLabels[k] !== v) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isRec(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(objLabels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(objLabels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(objLabels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Labels a Namespace carries once created: its own plus kubernetes.io/metadata.name, set by the API server. */
export const namespaceLabels = (ns: K8sObject): Record<string, string> => ({
  ...labels(ns),
  [WELL_KNOWN_LABEL.namespaceName]: String(ns.metadata.name),
});

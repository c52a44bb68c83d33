/**
 * The Kubernetes half of the matrix: PersistentVolumes that mount a dataset's (or a tenant's
 * storage) path, the namespaces they are bound into (or every namespace, for a volume nobody has
 * claimed), and who may run pods there: the namespace's tenant, the subjects RBAC lets create pods
 * or exec into them, and EKS access entries whose access policies do. Read-only is what the volume
 * enforces (csi.readOnly, an `ro` mount option), not what its access modes ask.
 */
import { clusterOf, isRec, k8sDocs, specOf, tenantNamespaceIndex } from '../../engine/k8s';
import type { K8sDocument, RuleContext } from '../../engine/types';
import type { AwsModel, Store } from './aws-model';
import type { Cell, Sample, Verb } from './cells';
import type { Intent } from './intent';
import { rbacGrants, runsPods, type Grant } from './rbac';
import { accessEntries, ALL_TENANTS, subjectTenants, type AccessEntry } from './tenancy';
import { groupBy, memo } from '../../engine/memo';
import type { Tri, Witness } from './types';

export interface DataRef {
  readonly kind: 'dataset' | 'storage';
  readonly id: string;
}

const pvKey = (d: K8sDocument) =>
  `k8s:${d.site}/${d.cluster}/${d.object.kind}/${d.object.metadata.namespace ?? '-'}/${d.object.metadata.name}`;
export const docWitness = (d: K8sDocument, policy: string, index = 0): Witness => ({
  file: d.file,
  resource: pvKey(d),
  policy,
  index,
  line: d.line,
});

/** The data a path on a site's file system holds: `/datasets/<id>`, `/tenants/<id>`, or an ancestor of them (all of it). */
function dataAtPath(
  intent: Intent | undefined,
  site: string,
  fs: string | undefined,
  path: string,
): DataRef[] | 'undecided' {
  const p = `/${path.replace(/^\/+|\/+$/g, '')}`;
  const ds = /^\/datasets\/([^/]+)/.exec(p)?.[1];
  if (ds) return [{ kind: 'dataset', id: ds }];
  const t = /^\/tenants\/([^/]+)/.exec(p)?.[1];
  if (t) return [{ kind: 'storage', id: t }];
  if (p === '/' || p === '/datasets') {
    if (!intent) return 'undecided';
    const out: DataRef[] = [];
    for (const [id, d] of intent.datasets) {
      const at = d.tier ? intent.tierPaths.get(d.tier)?.get(site) : undefined;
      if (at && (fs === undefined || at.path === fs || (at.path && fs.endsWith(`/${at.path}`))))
        out.push({ kind: 'dataset', id });
    }
    return out;
  }
  return [];
}

const byBucket = new WeakMap<AwsModel, Map<string, Store>>();

/** The first store whose ARN ends with `:::<name>`, by name: every text after a `:::` of each ARN. */
function storesByBucket(model: AwsModel): Map<string, Store> {
  let m = byBucket.get(model);
  if (!m) {
    m = new Map();
    for (const s of model.stores)
      for (let i = s.arn.indexOf(':::'); i >= 0; i = s.arn.indexOf(':::', i + 1)) {
        const name = s.arn.slice(i + 3);
        if (!m.has(name)) m.set(name, s);
      }
    byBucket.set(model, m);
  }
  return m;
}

/** The data a PersistentVolume mounts; 'undecided' for a source the analysis does not understand. */
export function volumeData(
  pv: K8sDocument,
  model: AwsModel | undefined,
  intent: Intent | undefined,
): DataRef[] | 'undecided' {
  const spec = specOf(pv.object);
  const csi = isRec(spec.csi) ? spec.csi : undefined;
  const attrs = csi && isRec(csi.volumeAttributes) ? csi.volumeAttributes : {};
  if (csi?.driver === 's3.csi.aws.com') {
    const store = model ? storesByBucket(model).get(String(attrs.bucketName)) : undefined;
    if (store) return [{ kind: store.kind, id: store.id }];
    return typeof attrs.bucketName === 'string' && !/^genesis-/.test(attrs.bucketName) ? [] : 'undecided';
  }
  if (csi?.driver === 'cephfs.csi.ceph.com')
    return dataAtPath(
      intent,
      pv.site,
      typeof attrs.fsName === 'string' ? attrs.fsName : undefined,
      typeof attrs.rootPath === 'string' ? attrs.rootPath : '/',
    );
  if (csi?.driver === 'exa.csi.ddn.com' && typeof csi.volumeHandle === 'string') {
    const parts = csi.volumeHandle.split(':');
    return dataAtPath(
      intent,
      pv.site,
      typeof attrs.exaFS === 'string' ? attrs.exaFS.replace(/^.*:\//, '') : undefined,
      parts[parts.length - 1] ?? '/',
    );
  }
  if (csi?.driver === 'efs.csi.aws.com' || csi?.driver === 'fsx.csi.aws.com') return 'undecided';
  if (isRec(spec.nfs) && typeof spec.nfs.path === 'string')
    return dataAtPath(intent, pv.site, undefined, spec.nfs.path);
  if (isRec(spec.hostPath) || isRec(spec.local)) return 'undecided';
  if (csi) return 'undecided';
  return [];
}

/** Whether the volume is mounted writable: no csi/nfs readOnly, no `ro` mount option. */
export function writable(pv: K8sDocument): boolean {
  const spec = specOf(pv.object);
  const opts = Array.isArray(spec.mountOptions) ? spec.mountOptions.map(String) : [];
  if (opts.some((o) => /^(ro|read-only|read_only)$/.test(o.trim()))) return false;
  for (const src of ['csi', 'nfs', 'cephfs'])
    if (isRec(spec[src]) && (spec[src] as Record<string, unknown>).readOnly === true) return false;
  return true;
}

/** PersistentVolumeClaims by cluster and the volume they name, in the artifacts' order. */
const claimsOf = (ctx: RuleContext): Map<string, K8sDocument[]> =>
  memo(ctx.artifacts, 'access:claimsByVolume', () =>
    groupBy(k8sDocs(ctx, 'PersistentVolumeClaim'), (c) =>
      JSON.stringify([clusterOf(c), specOf(c.object).volumeName ?? null]),
    ),
  );

/** Namespaces a volume is bound into: its claimRef, the claims naming it, or every namespace when unclaimed. */
function boundNamespaces(ctx: RuleContext, pv: K8sDocument): string[] {
  const spec = specOf(pv.object);
  if (isRec(spec.claimRef) && typeof spec.claimRef.namespace === 'string') return [spec.claimRef.namespace];
  const claims = claimsOf(ctx).get(JSON.stringify([clusterOf(pv), pv.object.metadata.name ?? null])) ?? [];
  return claims.length ? claims.map((c) => c.object.metadata.namespace ?? 'default') : ['*'];
}

interface Reacher {
  readonly principal: string;
  readonly tenants: readonly string[];
  readonly witness?: Witness;
  readonly allowed: Tri;
}

/** Who may run pods in namespace `ns` of a cluster (`*`: any namespace). */
interface Pre {
  readonly index: ReadonlyMap<string, string>;
  readonly entries: ReturnType<typeof accessEntries>;
  readonly grants: Scoped<Grant>;
  readonly policies: Scoped<{ e: AccessEntry; i: number; p: AccessEntry['policies'][number] }>;
}

/**
 * Items of a cluster that apply to a namespace (scoped to it, or to every namespace), in their
 * order: each volume asks for its own namespace, not every binding and access entry of the platform.
 */
class Scoped<T> {
  private readonly byCluster = new Map<string, { all: T[]; wide: number[]; byNs: Map<string, number[]> }>();

  constructor(
    items: Iterable<T>,
    cluster: (t: T) => unknown,
    namespaces: (t: T) => readonly string[] | undefined,
  ) {
    for (const t of items) {
      const c = cluster(t);
      if (typeof c !== 'string') continue;
      let x = this.byCluster.get(c);
      if (!x) this.byCluster.set(c, (x = { all: [], wide: [], byNs: new Map() }));
      const at = x.all.push(t) - 1;
      const nss = namespaces(t);
      if (nss === undefined) x.wide.push(at);
      else
        for (const n of new Set(nss)) {
          const list = x.byNs.get(n);
          if (list) list.push(at);
          else x.byNs.set(n, [at]);
        }
    }
  }

  get(cluster: string, ns: string): T[] {
    const x = this.byCluster.get(cluster);
    if (!x) return [];
    if (ns === '*') return x.all;
    const idx = [...x.wide, ...(x.byNs.get(ns) ?? [])].sort((a, b) => a - b);
    return idx.map((i) => x.all[i]);
  }
}

function reachers(
  ctx: RuleContext,
  cluster: string,
  ns: string,
  roleOwners: (arn: unknown) => string[],
  pre: Pre,
): Reacher[] {
  const out: Reacher[] = [];
  const { index, entries } = pre;
  const owners =
    ns === '*'
      ? [...index].filter(([k]) => k.startsWith(`${cluster}|`)).map(([k, t]) => ({ ns: k.split('|')[1], t }))
      : [{ ns, t: index.get(`${cluster}|${ns}`) }];
  for (const o of owners)
    out.push({ principal: `namespace ${o.ns}`, tenants: o.t ? [o.t] : [], allowed: true });
  for (const g of pre.grants.get(cluster, ns)) {
    const allowed: Tri = g.unknownRole ? 'undecided' : runsPods(g.rules);
    if (allowed === false) continue;
    out.push({
      principal: `${String(g.subject.kind)} ${String(g.subject.name)}`,
      tenants: subjectTenants(ctx, cluster, g.subject, entries, roleOwners),
      witness: docWitness(g.doc, 'subjects', g.index),
      allowed,
    });
  }
  for (const { e, i, p } of pre.policies.get(cluster, ns)) {
    const allowed: Tri = /^AmazonEKS(ClusterAdmin|Admin|Edit)Policy$/.test(p.name)
      ? true
      : /^AmazonEKSViewPolicy$/.test(p.name)
        ? false
        : 'undecided';
    if (allowed === false) continue;
    out.push({
      principal: `access entry ${String(e.principalArn).replace(/^arn:[^:]*:iam::[^:]*:/, '')}`,
      tenants: roleOwners(e.principalArn),
      witness: {
        file: e.item.stack.file,
        resource: `aws:${e.item.stack.stackName}/${e.item.logicalId}`,
        policy: 'AccessPolicies',
        index: i,
        line: e.item.stack.resourceLines.get(e.item.logicalId),
      },
      allowed,
    });
  }
  return out;
}

/** Every Kubernetes cell at `now`. */
export function k8sCells(
  ctx: RuleContext,
  model: AwsModel | undefined,
  intent: Intent | undefined,
  now: number,
  roleOwners: (arn: unknown) => string[],
  allTenants: readonly string[],
): Cell[] {
  const out: Cell[] = [];
  const entries = accessEntries(ctx);
  const pre: Pre = {
    index: tenantNamespaceIndex(ctx),
    entries,
    grants: new Scoped(
      rbacGrants(ctx),
      (g) => g.cluster,
      (g) => (g.namespace === undefined ? undefined : [g.namespace]),
    ),
    policies: new Scoped(
      entries.flatMap((e) => e.policies.map((p, i) => ({ e, i, p }))),
      (x) => x.e.cluster,
      (x) => x.p.namespaces,
    ),
  };
  for (const pv of k8sDocs(ctx, 'PersistentVolume')) {
    const data = volumeData(pv, model, intent);
    const refs: Array<DataRef | undefined> = data === 'undecided' ? [undefined] : data;
    const verbs: Verb[] = writable(pv) ? ['read', 'list', 'write', 'delete'] : ['read', 'list'];
    const cluster = clusterOf(pv);
    for (const ns of boundNamespaces(ctx, pv)) {
      for (const r of reachers(ctx, cluster, ns, roleOwners, pre)) {
        for (const ref of refs) {
          const allowed: Tri = ref === undefined ? 'undecided' : r.allowed;
          // the subject's grant first: it is what lets this principal reach the volume
          const witnesses = [
            ...(r.witness ? [r.witness] : []),
            docWitness(pv, ns === '*' ? 'spec (no claimRef)' : 'spec'),
          ];
          const sample: Sample = {
            at: now,
            allowed,
            witnesses,
            reason: ref === undefined ? `volume source of ${pvKey(pv)} not understood` : undefined,
          };
          const tenants = r.tenants.includes(ALL_TENANTS) ? [...allTenants] : r.tenants;
          for (const verb of verbs)
            out.push({
              target: 'k8s',
              principal: `k8s:${cluster}/${r.principal}`,
              tenants,
              principalKind: 'k8s',
              store: {
                kind: ref?.kind ?? 'dataset',
                id: ref?.id ?? `(volume ${pv.object.metadata.name})`,
                resource: pvKey(pv),
                file: pv.file,
              },
              verb,
              side: 'effective',
              paths: new Map([[`cluster ${cluster}`, [sample]]]),
            });
        }
      }
    }
  }
  return out;
}

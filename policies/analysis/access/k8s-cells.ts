/**
 * The Kubernetes half of the matrix: PersistentVolumes that mount a dataset's (or a tenant's
 * storage) path, the namespaces they are bound into (or every namespace, for a volume nobody has
 * claimed), and who may run pods there: the namespace's tenant, the subjects RBAC lets create pods
 * or exec into them, and EKS access entries whose access policies do. Read-only is what the volume
 * enforces (csi.readOnly, an `ro` mount option), not what its access modes ask.
 */
import { clusterOf, isRec, k8sDocs, specOf, tenantNamespaceIndex } from '../../engine/k8s';
import type { K8sDocument, RuleContext } from '../../engine/types';
import type { AwsModel } from './aws-model';
import type { Cell, Sample, Verb } from './cells';
import type { Intent } from './intent';
import { rbacGrants, runsPods } from './rbac';
import { accessEntries, ALL_TENANTS, subjectTenants } from './tenancy';
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
    const store = model?.stores.find((s) => s.arn.endsWith(`:::${String(attrs.bucketName)}`));
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

/** Namespaces a volume is bound into: its claimRef, the claims naming it, or every namespace when unclaimed. */
function boundNamespaces(ctx: RuleContext, pv: K8sDocument): string[] {
  const spec = specOf(pv.object);
  if (isRec(spec.claimRef) && typeof spec.claimRef.namespace === 'string') return [spec.claimRef.namespace];
  const claims = k8sDocs(ctx, 'PersistentVolumeClaim').filter(
    (c) => clusterOf(c) === clusterOf(pv) && specOf(c.object).volumeName === pv.object.metadata.name,
  );
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
  readonly grants: ReturnType<typeof rbacGrants>;
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
  for (const g of pre.grants) {
    if (g.cluster !== cluster || (g.namespace !== undefined && ns !== '*' && g.namespace !== ns)) continue;
    const allowed: Tri = g.unknownRole ? 'undecided' : runsPods(g.rules);
    if (allowed === false) continue;
    out.push({
      principal: `${String(g.subject.kind)} ${String(g.subject.name)}`,
      tenants: subjectTenants(ctx, cluster, g.subject, entries, roleOwners),
      witness: docWitness(g.doc, 'subjects', g.index),
      allowed,
    });
  }
  for (const e of entries) {
    if (e.cluster !== cluster) continue;
    for (const [i, p] of e.policies.entries()) {
      if (p.namespaces && ns !== '*' && !p.namespaces.includes(ns)) continue;
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
  const pre: Pre = { index: tenantNamespaceIndex(ctx), entries: accessEntries(ctx), grants: rbacGrants(ctx) };
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

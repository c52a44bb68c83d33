/**
 * References between Kubernetes objects, and which of them a set of objects leaves unresolved.
 *
 * A tenant's objects name objects they do not contain: the ResourceFlavors and Cohort of its
 * ClusterQueue, the StorageClass of a claim, the PriorityClass of a pod. Those are the cluster's,
 * deployed by the cluster's baseline stack. A tenant stack checks them against the objects the
 * baseline stack exports, so that a tenant is never applied to a cluster that cannot run it.
 *
 * Objects are named the way `config.kubernetes.io/depends-on` names them:
 * `<group>/<Kind>/<name>` for cluster-scoped objects and `<group>/namespaces/<ns>/<Kind>/<name>`
 * for namespaced ones, the core group written as the empty string.
 */
import { WELL_KNOWN_LABEL } from '../../infra/contract';
import { podSpecs } from '../../infra/util/pod-specs';
import { isRecord } from '../../infra/util/records';

/** A plain Kubernetes object as a chart's `toJson()` gives it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function objectRef(group: string, kind: string, name: string, namespace?: string): string {
  return namespace ? `${group}/namespaces/${namespace}/${kind}/${name}` : `${group}/${kind}/${name}`;
}

export function refOf(obj: KubeObject): string {
  return objectRef(apiGroup(obj.apiVersion), obj.kind, obj.metadata.name, obj.metadata.namespace);
}

export interface Reference {
  /** The object that holds the reference. */
  readonly from: string;
  /** The object referred to. */
  readonly to: string;
  /** Where in `from` the reference is, for messages. */
  readonly field: string;
}

const KUEUE = 'kueue.x-k8s.io';
const STORAGE = 'storage.k8s.io';
const SCHEDULING = 'scheduling.k8s.io';
const RBAC = 'rbac.authorization.k8s.io';

/** ClusterRoles every conformant cluster has; references to them are always satisfied. */
const BUILT_IN_CLUSTER_ROLES = new Set(['admin', 'edit', 'view', 'cluster-admin']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Every reference an object makes to another object by name. */
export function referencesOf(obj: KubeObject): Reference[] {
  const from = refOf(obj);
  const ns = obj.metadata.namespace;
  const group = apiGroup(obj.apiVersion);
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const out: Reference[] = [];
  const add = (to: string, field: string): void => {
    out.push({ from, to, field });
  };

  if (ns) add(objectRef('', 'Namespace', ns), 'metadata.namespace');

  if (group === KUEUE && obj.kind === 'LocalQueue') {
    const cq = str(spec.clusterQueue);
    if (cq) add(objectRef(KUEUE, 'ClusterQueue', cq), 'spec.clusterQueue');
  }
  if (group === KUEUE && obj.kind === 'ClusterQueue') {
    const cohort = str(spec.cohortName) ?? str(spec.cohort);
    if (cohort) add(objectRef(KUEUE, 'Cohort', cohort), 'spec.cohortName');
    arr(spec.resourceGroups).forEach((rg, i) => {
      if (!isRecord(rg)) return;
      arr(rg.flavors).forEach((f, j) => {
        const name = isRecord(f) ? str(f.name) : undefined;
        if (name)
          add(objectRef(KUEUE, 'ResourceFlavor', name), `spec.resourceGroups[${i}].flavors[${j}].name`);
      });
    });
  }
  if (group === '' && (obj.kind === 'PersistentVolumeClaim' || obj.kind === 'PersistentVolume')) {
    const sc = str(spec.storageClassName);
    if (sc) add(objectRef(STORAGE, 'StorageClass', sc), 'spec.storageClassName');
  }
  if (group === '' && obj.kind === 'PersistentVolumeClaim') {
    const pv = str(spec.volumeName);
    if (pv) add(objectRef('', 'PersistentVolume', pv), 'spec.volumeName');
  }
  if (group === '' && obj.kind === 'PersistentVolume' && isRecord(spec.claimRef)) {
    const name = str(spec.claimRef.name);
    const claimNs = str(spec.claimRef.namespace);
    if (name && claimNs) add(objectRef('', 'PersistentVolumeClaim', name, claimNs), 'spec.claimRef');
  }
  if (
    group === RBAC &&
    (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') &&
    isRecord(obj.roleRef)
  ) {
    const kind = str(obj.roleRef.kind);
    const name = str(obj.roleRef.name);
    if (name && kind === 'ClusterRole' && !BUILT_IN_CLUSTER_ROLES.has(name) && !name.startsWith('system:'))
      add(objectRef(RBAC, 'ClusterRole', name), 'roleRef');
    if (name && kind === 'Role' && ns) add(objectRef(RBAC, 'Role', name, ns), 'roleRef');
  }
  for (const { spec: pod, path: field } of podSpecs(obj)) {
    const pc = str(pod.priorityClassName);
    if (pc) add(objectRef(SCHEDULING, 'PriorityClass', pc), `${field}.priorityClassName`);
  }
  const labels = isRecord(obj.metadata.labels) ? obj.metadata.labels : {};
  const wpc = str(labels[WELL_KNOWN_LABEL.priorityClass]);
  if (wpc)
    add(objectRef(KUEUE, 'WorkloadPriorityClass', wpc), 'metadata.labels["kueue.x-k8s.io/priority-class"]');
  return out;
}

/** References from `objects` to objects that are neither among them nor in `available`. */
export function unresolvedReferences(
  objects: readonly KubeObject[],
  available: Iterable<string>,
): Reference[] {
  const have = new Set<string>(available);
  for (const o of objects) have.add(refOf(o));
  return objects.flatMap(referencesOf).filter((r) => !have.has(r.to));
}

/**
 * What a federation manager may do on a worker: what MultiKueue needs to mirror a workload and
 * read back its status (Kueue's MultiKueue setup, create-multikueue-kubeconfig.sh), for the job
 * kinds it dispatches. The policy's own table, independent of what the target writes.
 */
import type { PolicyRule } from '../access/rbac';

const MIRROR = ['create', 'delete', 'get', 'list', 'watch'];

/**
 * What MultiKueue needs on a worker to mirror a workload and read back its status (Kueue's
 * MultiKueue setup, create-multikueue-kubeconfig.sh), for the job kinds it dispatches: group ->
 * resource -> verbs. Nothing else: no secrets, RBAC, namespaces, nodes, exec or wildcards.
 */
const ALLOWED: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '': { pods: MIRROR, 'pods/status': ['get'] },
  apps: { statefulsets: MIRROR, 'statefulsets/status': ['get'] },
  batch: { jobs: MIRROR, 'jobs/status': ['get'] },
  'jobset.x-k8s.io': { jobsets: MIRROR, 'jobsets/status': ['get'] },
  // MultiKueue updates the remote workload it created (its status and finalizers).
  'kueue.x-k8s.io': { workloads: [...MIRROR, 'update'], 'workloads/status': ['get', 'patch', 'update'] },
  'kubeflow.org': Object.fromEntries(
    ['mpijobs', 'paddlejobs', 'pytorchjobs', 'tfjobs', 'xgboostjobs', 'jaxjobs'].flatMap((r) => [
      [r, MIRROR],
      [`${r}/status`, ['get']],
    ]),
  ),
  'ray.io': Object.fromEntries(
    ['rayjobs', 'rayclusters'].flatMap((r) => [
      [r, MIRROR],
      [`${r}/status`, ['get']],
    ]),
  ),
};

/** The (group, resource, verb) triples of a rule beyond ALLOWED; a wildcard is always beyond. */
function excess(r: PolicyRule): string[] {
  const out: string[] = [];
  for (const g of r.apiGroups)
    for (const res of r.resources)
      for (const v of r.verbs)
        if (g === '*' || res === '*' || v === '*' || !ALLOWED[g]?.[res]?.includes(v))
          out.push(`${v} ${g === '' ? '' : `${g}/`}${res}`);
  return out;
}

/** The (verb, group/resource) pairs of `rules` beyond what MultiKueue needs, sorted; empty when within. */
export function beyondMultiKueue(rules: readonly PolicyRule[]): string[] {
  return [...new Set(rules.flatMap(excess))].sort();
}

/**
 * What MultiKueue's remote informers need across all namespaces of a worker: list and watch of
 * Workloads and of the kinds it mirrors there. Anything else cluster-wide is beyond.
 */
export function beyondMultiKueueWatch(rules: readonly PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules)
    for (const g of r.apiGroups)
      for (const res of r.resources)
        for (const v of r.verbs)
          if (
            g === '*' ||
            res === '*' ||
            !['list', 'watch'].includes(v) ||
            res.includes('/') ||
            !ALLOWED[g]?.[res]?.includes(v)
          )
            out.add(`${v} ${g === '' ? '' : `${g}/`}${res}`);
  return [...out].sort();
}

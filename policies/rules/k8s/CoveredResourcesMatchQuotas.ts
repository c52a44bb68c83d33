import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  inNamespace,
  isGpuResource,
  isRec,
  k8sDocs,
  parseQuantity,
  refOf,
  specOf,
} from '../../engine/k8s';
import { clusterQueues, coveredResources } from '../../engine/kueue';
import type { K8sDocument, K8sObject } from '../../engine/types';
import { exClusterQueue, exLocalQueue, exNamespace, k8s } from '../../examples/builders';

const COMPUTE = (r: string): boolean =>
  r === 'cpu' || r === 'memory' || r === 'ephemeral-storage' || r.includes('/');
const quota = (hard: Record<string, unknown>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'q', namespace: 'tenant-a' },
  spec: { hard },
});
const limits = (defaults: Record<string, unknown>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'l', namespace: 'tenant-a' },
  spec: { limits: [{ type: 'Container', defaultRequest: defaults }] },
});

/** The queue in cohort `genesis` with the same borrowing limit on every resource. */
const withBorrowing = (q: K8sObject, borrow: number): K8sObject => {
  const groups = (
    specOf(q).resourceGroups as Array<{
      coveredResources: string[];
      flavors: Array<{ name: string; resources: Array<Record<string, unknown>> }>;
    }>
  ).map((g) => ({
    ...g,
    flavors: g.flavors.map((f) => ({
      ...f,
      resources: f.resources.map((r) => ({ ...r, borrowingLimit: borrow })),
    })),
  }));
  return { ...q, spec: { ...specOf(q), cohortName: 'genesis', resourceGroups: groups } };
};

/** Compute resources a ResourceQuota bounds (requests.X, limits.X and bare cpu/memory keys). */
function quotaResources(o: K8sObject): string[] {
  const hard = isRec(specOf(o).hard) ? Object.keys(specOf(o).hard as object) : [];
  return hard
    .filter((k) => !k.includes('storageclass.storage.k8s.io') && k !== 'requests.storage')
    .map((k) => k.replace(/^(requests|limits)\./, ''))
    .filter(COMPUTE);
}

/** What a ClusterQueue lets its namespace use of each resource: nominal plus borrowing limit (nominal only outside a cohort); NaN when unbounded. */
function queueCeiling(q: K8sObject): Map<string, number> {
  const inCohort = typeof specOf(q).cohortName === 'string' && specOf(q).cohortName !== '';
  const out = new Map<string, number>();
  for (const g of Array.isArray(specOf(q).resourceGroups) ? (specOf(q).resourceGroups as unknown[]) : []) {
    for (const f of isRec(g) && Array.isArray(g.flavors) ? g.flavors : []) {
      for (const r of isRec(f) && Array.isArray(f.resources) ? f.resources : []) {
        if (!isRec(r)) continue;
        const borrow = !inCohort ? 0 : r.borrowingLimit === undefined ? NaN : parseQuantity(r.borrowingLimit);
        out.set(String(r.name), (out.get(String(r.name)) ?? 0) + parseQuantity(r.nominalQuota) + borrow);
      }
    }
  }
  return out;
}

/** The tightest bound the ResourceQuotas put on a resource (requests.X, X, and limits.X of extended resources). */
function quotaBound(quotas: K8sObject[], resource: string): number | undefined {
  const keys = [`requests.${resource}`, resource, ...(resource.includes('/') ? [`limits.${resource}`] : [])];
  const values = quotas.flatMap((o) =>
    isRec(specOf(o).hard)
      ? keys
          .map((k) => (specOf(o).hard as Record<string, unknown>)[k])
          .filter((v) => v !== undefined)
          .map(parseQuantity)
      : [],
  );
  return values.length ? Math.min(...values) : undefined;
}

export default defineRule({
  id: 'GEN-K8S-CAP-002',
  title:
    'ClusterQueue coveredResources and quotas match the ResourceQuota and LimitRange of the namespaces it serves',
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'CM-6'],
  rationale:
    'Kueue never admits a pod that requests a resource its ClusterQueue does not cover, and a GPU resource the ResourceQuota does not name is unlimited outside Kueue. Defaults from the LimitRange, quota keys and coveredResources must come from one list. The ResourceQuota is the ceiling outside Kueue: it must equal what the queue lets the namespace use (nominal plus borrowing limit, summed over flavors), or pods that bypass Kueue get more than the tenant was granted.',
  remediation:
    'Generate coveredResources, the ResourceQuota keys (requests.<resource>) and values (nominal plus borrowing limit of the queue) and the LimitRange defaults from the same list of resources and quotas.',
  *check(ctx) {
    // the LocalQueues of each cluster by the ClusterQueue they feed, in document order
    const feeding = new Map<string, Map<unknown, K8sDocument[]>>();
    for (const l of k8sDocs(ctx, 'LocalQueue')) {
      const byQueue = feeding.get(clusterOf(l)) ?? new Map<unknown, K8sDocument[]>();
      feeding.set(clusterOf(l), byQueue);
      const target = specOf(l.object).clusterQueue;
      const list = byQueue.get(target);
      if (list) list.push(l);
      else byQueue.set(target, [l]);
    }
    for (const q of clusterQueues(ctx)) {
      const covered = new Set(coveredResources(q.object));
      const served = feeding.get(clusterOf(q))?.get(q.object.metadata.name) ?? [];
      for (const l of served) {
        const ns = l.object.metadata.namespace;
        const quotaRes = new Set(
          inNamespace(ctx, 'ResourceQuota', clusterOf(l), ns).flatMap((r) => quotaResources(r.object)),
        );
        const defaults = new Set(
          inNamespace(ctx, 'LimitRange', clusterOf(l), ns).flatMap((r) =>
            (Array.isArray(specOf(r.object).limits) ? (specOf(r.object).limits as unknown[]) : []).flatMap(
              (x) =>
                isRec(x)
                  ? [
                      ...Object.keys(isRec(x.default) ? x.default : {}),
                      ...Object.keys(isRec(x.defaultRequest) ? x.defaultRequest : {}),
                    ]
                  : [],
            ),
          ),
        );
        const problems: string[] = [];
        for (const r of [...quotaRes].sort())
          if (!covered.has(r))
            problems.push(`ResourceQuota of ${String(ns)} bounds ${r}, which the queue does not cover`);
        for (const r of [...defaults].sort())
          if (!covered.has(r))
            problems.push(`LimitRange of ${String(ns)} defaults ${r}, which the queue does not cover`);
        for (const r of [...covered].sort())
          if (isGpuResource(r) && !quotaRes.has(r))
            problems.push(`the queue covers ${r}, which no ResourceQuota of ${String(ns)} bounds`);
        const quotas = inNamespace(ctx, 'ResourceQuota', clusterOf(l), ns).map((r) => r.object);
        for (const [r, ceiling] of [...queueCeiling(q.object)].sort()) {
          const bound = quotaBound(quotas, r);
          if (bound === undefined || Number.isNaN(ceiling)) continue; // a missing key is reported above, unlimited borrowing by GEN-K8S-CAP-006
          if (Math.abs(bound - ceiling) > 1e-6 * Math.max(1, ceiling))
            problems.push(
              `ResourceQuota of ${String(ns)} bounds ${r} at ${bound}, but the queue grants ${ceiling} (nominal plus borrowing limit)`,
            );
        }
        if (problems.length) yield { resource: refOf(q), status: 'fail', message: problems.join('; ') };
      }
    }
  },
  examples: [
    {
      name: 'quotas within nominal quota plus borrowing limit',
      artifacts: k8s([
        exNamespace('a'),
        exLocalQueue('tenant-a'),
        withBorrowing(exClusterQueue('a', { h100: { cpu: '96', 'nvidia.com/gpu': 8 } }), 4),
        quota({ 'requests.cpu': '100', 'requests.nvidia.com/gpu': 12 }),
        limits({ cpu: '1' }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'queue, ResourceQuota and LimitRange over the same resources, plus a storage class quota',
      artifacts: k8s([
        exNamespace('a'),
        exLocalQueue('tenant-a'),
        exClusterQueue('a', { h100: { cpu: '96', memory: '1Ti', 'nvidia.com/gpu': 8 } }),
        quota({
          'requests.cpu': '96',
          'requests.memory': '1Ti',
          'requests.nvidia.com/gpu': 8,
          'fast.storageclass.storage.k8s.io/requests.storage': '1Ti',
        }),
        limits({ cpu: '1', memory: '4Gi' }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a LimitRange default of memory the queue does not cover',
      artifacts: k8s([
        exNamespace('a'),
        exLocalQueue('tenant-a'),
        exClusterQueue('a', { h100: { cpu: '96', 'nvidia.com/gpu': 8 } }),
        quota({ 'requests.cpu': '96', 'requests.nvidia.com/gpu': 8 }),
        limits({ cpu: '1', memory: '4Gi' }),
      ]),
      expect: {
        fires: true,
        message: /LimitRange of tenant-a defaults memory, which the queue does not cover/,
      },
    },
    {
      name: 'a GPU the queue covers but no ResourceQuota bounds',
      artifacts: k8s([
        exNamespace('a'),
        exLocalQueue('tenant-a'),
        exClusterQueue('a', { h100: { cpu: '96', 'nvidia.com/gpu': 8 } }),
        quota({ 'requests.cpu': '96' }),
        limits({ cpu: '1' }),
      ]),
      expect: {
        fires: true,
        message: /the queue covers nvidia\.com\/gpu, which no ResourceQuota of tenant-a bounds/,
      },
    },
    // the GPU quota of the namespace is above what the queue grants
    {
      name: 'a namespace GPU quota above what the queue grants',
      artifacts: k8s([
        exNamespace('a'),
        exLocalQueue('tenant-a'),
        exClusterQueue('a', { h100: { cpu: '96', 'nvidia.com/gpu': 8 } }),
        quota({ 'requests.cpu': '96', 'requests.nvidia.com/gpu': 200 }),
        limits({ cpu: '1' }),
      ]),
      expect: {
        fires: true,
        message: /ResourceQuota of tenant-a bounds nvidia\.com\/gpu at 200, but the queue grants 8 \(nominal/,
      },
    },
    // in a cohort: nominal plus borrowing limit
    {
      name: 'a queue in a cohort that grants more than the namespace quota',
      artifacts: k8s([
        exNamespace('a'),
        exLocalQueue('tenant-a'),
        withBorrowing(exClusterQueue('a', { h100: { cpu: '96', 'nvidia.com/gpu': 8 } }), 4),
        quota({ 'requests.cpu': '100', 'requests.nvidia.com/gpu': 8 }),
        limits({ cpu: '1' }),
      ]),
      expect: {
        fires: true,
        message: /ResourceQuota of tenant-a bounds nvidia\.com\/gpu at 8, but the queue grants 12 \(nominal/,
      },
    },
  ],
});

import { k8s } from '../../examples/builders';
import { intentOf } from '../../analysis/intent';
import {
  clusterOf,
  isGpuResource,
  isRec,
  labels,
  parseQuantity,
  refOf,
  specOf,
  TENANT_LABEL,
  tenantOfNamespaceName,
} from '../../engine/k8s';
import { clusterQueues } from '../../engine/kueue';
import { defineRule } from '../../engine/rule-kit';
import type { K8sDocument, K8sObject } from '../../engine/types';

interface GpuLine {
  readonly flavor: string;
  readonly resource: string;
  readonly nominal: number;
  readonly borrowing: number | undefined;
}

function gpuLines(q: K8sDocument): GpuLine[] {
  const out: GpuLine[] = [];
  for (const g of Array.isArray(specOf(q.object).resourceGroups)
    ? (specOf(q.object).resourceGroups as unknown[])
    : []) {
    for (const f of isRec(g) && Array.isArray(g.flavors) ? g.flavors : []) {
      for (const r of isRec(f) && Array.isArray(f.resources) ? f.resources : []) {
        if (!isRec(r) || !isGpuResource(String(r.name))) continue;
        out.push({
          flavor: String(isRec(f) ? f.name : ''),
          resource: String(r.name),
          nominal: parseQuantity(r.nominalQuota),
          borrowing: r.borrowingLimit === undefined ? undefined : parseQuantity(r.borrowingLimit),
        });
      }
    }
  }
  return out;
}

/** GPU quota per flavor: every GPU resource of the flavor (whole GPUs and MIG slices) added up. */
function perFlavor(lines: GpuLine[]): Map<string, { nominal: number; borrowing: number | undefined }> {
  const m = new Map<string, { nominal: number; borrowing: number | undefined }>();
  for (const l of lines) {
    const prev = m.get(l.flavor) ?? { nominal: 0, borrowing: 0 };
    const borrowing =
      prev.borrowing === undefined || l.borrowing === undefined ? undefined : prev.borrowing + l.borrowing;
    m.set(l.flavor, { nominal: prev.nominal + l.nominal, borrowing });
  }
  return m;
}

/** Differences between a tenant ClusterQueue's GPU quota and what the intent declares for it. */
function differences(
  q: K8sDocument,
  declared: Record<string, { nominal: number; borrowing?: number }>,
): string[] {
  const problems: string[] = [];
  const flavors = perFlavor(gpuLines(q));
  for (const [flavor, l] of flavors) {
    const d = declared[flavor];
    if (!d) {
      if (l.nominal > 0 || l.borrowing !== 0)
        problems.push(
          `${flavor}: GPU quota ${l.nominal} (borrowing ${l.borrowing ?? 'unlimited'}) on a pool the spec gives the tenant none of`,
        );
      continue;
    }
    if (l.nominal !== d.nominal)
      problems.push(`${flavor}: nominalQuota ${l.nominal}, the spec declares ${d.nominal}`);
    const borrowing = d.borrowing ?? 0;
    if (l.borrowing === undefined || l.borrowing > borrowing)
      problems.push(
        `${flavor}: borrowingLimit ${l.borrowing ?? 'unset (unlimited)'}, the spec allows ${borrowing}`,
      );
  }
  for (const [pool, d] of Object.entries(declared))
    if (d.nominal > 0 && !flavors.has(pool))
      problems.push(`${pool}: the spec declares ${d.nominal} GPUs, the queue has no quota there`);
  return problems;
}

/** The cohort most tenant queues of each cluster share (ties: the first by name): the platform's one cohort. */
function platformCohorts(queues: K8sDocument[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const q of queues) {
    const c = specOf(q.object).cohortName;
    if (typeof c !== 'string') continue;
    const m = counts.get(clusterOf(q)) ?? new Map<string, number>();
    m.set(c, (m.get(c) ?? 0) + 1);
    counts.set(clusterOf(q), m);
  }
  const out = new Map<string, string>();
  for (const [cluster, m] of counts)
    out.set(cluster, [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]);
  return out;
}

const intent = {
  clusters: [],
  storageTiers: [],
  tenants: [{ id: 'acme', quotas: { gpu: { 'cluster-a': { h100: { nominal: 8, borrowing: 4 } } } } }],
};
const cq = (nominal: number, borrowingLimit?: number, cohortName = 'genesis'): K8sObject => ({
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'ClusterQueue',
  metadata: { name: 'tenant-acme', labels: { [TENANT_LABEL]: 'acme' } },
  spec: {
    cohortName,
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [
          {
            name: 'h100',
            resources: [
              {
                name: 'nvidia.com/gpu',
                nominalQuota: nominal,
                ...(borrowingLimit === undefined ? {} : { borrowingLimit }),
              },
            ],
          },
        ],
      },
    ],
  },
});

export default defineRule({
  id: 'GEN-K8S-SCH-003',
  title:
    "Each tenant ClusterQueue's GPU quota and borrowing limit equal the spec, in the cluster's one cohort",
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'CM-6'],
  rationale:
    "Kueue, not the ResourceQuota, decides how many GPUs a tenant's work gets: a nominalQuota above the declared share, a borrowing limit raised or removed, or a quota on a pool the tenant was never given takes capacity from other tenants. The declared intent (platform.json) states each tenant's nominal and borrowing GPUs per cluster and pool.",
  remediation:
    'Regenerate the ClusterQueues with `genesis synth`, or change the tenant quota in the spec (where `genesis validate` checks that it fits).',
  *check(ctx) {
    const spec = intentOf(ctx);
    if (!spec) return;
    const tenantQueues = clusterQueues(ctx).flatMap((q) => {
      const tenant = labels(q.object)[TENANT_LABEL] ?? tenantOfNamespaceName(q.object.metadata.name);
      return tenant === undefined ? [] : [{ q, tenant }];
    });
    const cohorts = platformCohorts(tenantQueues.map((t) => t.q));
    for (const { q, tenant } of tenantQueues) {
      const declared = spec.tenants.find((t) => t.id === tenant)?.quotas?.gpu?.[q.cluster] ?? {};
      const problems = differences(q, declared);
      const cohort = specOf(q.object).cohortName;
      const shared = cohorts.get(clusterOf(q));
      if (shared !== undefined && cohort !== shared)
        problems.push(
          `cohort ${String(cohort ?? 'none')}, while the cluster's other tenant queues share ${shared}`,
        );
      if (problems.length)
        yield {
          resource: refOf(q),
          status: 'fail',
          message: `tenant ${tenant} on ${q.cluster}: ${problems.join('; ')}`,
        };
    }
  },
  examples: [
    {
      name: 'quota and borrowing as declared',
      artifacts: { ...k8s([cq(8, 4)]), intent },
      expect: { fires: false },
    },
    {
      name: 'a nominal quota raised above the spec',
      artifacts: { ...k8s([cq(16, 4)]), intent },
      expect: { fires: true, message: /nominalQuota 16, the spec declares 8/ },
    },
    {
      name: 'the borrowing limit removed',
      artifacts: { ...k8s([cq(8)]), intent },
      expect: { fires: true, message: /borrowingLimit unset/ },
    },
  ],
});

/** Kueue objects as found in the YAML: ClusterQueue quotas per flavor, LocalQueues, capacity annotations. */
import { annotations, clusterOf, isRec, k8sDocs, parseQuantity, specOf } from './k8s';
import type { K8sDocument, K8sObject, RuleContext } from './types';
import { ANNOTATION } from '../../infra/contract';

/**
 * Capacity a ResourceFlavor stands for, as the Kubernetes target records it on the flavor:
 * annotation `genesis.platform/capacity: "nvidia.com/gpu=32,cpu=768,memory=8Ti"` (resource=quantity,
 * comma separated). Kueue itself does not know what exists; this is the platform's record of it.
 */
export const CAPACITY_ANNOTATION = ANNOTATION.capacity;

export function flavorCapacity(o: K8sObject): Map<string, number> | undefined | string {
  const raw = annotations(o)[CAPACITY_ANNOTATION];
  if (raw === undefined) return undefined;
  const out = new Map<string, number>();
  for (const part of String(raw)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.lastIndexOf('=');
    const q = i > 0 ? parseQuantity(part.slice(i + 1)) : NaN;
    if (Number.isNaN(q)) return `malformed ${CAPACITY_ANNOTATION} entry "${part}"`;
    out.set(part.slice(0, i), q);
  }
  return out;
}

export interface QueueQuota {
  readonly queue: K8sDocument;
  readonly flavor: string;
  readonly resource: string;
  readonly nominal: number;
}

export function coveredResources(o: K8sObject): string[] {
  const groups = Array.isArray(specOf(o).resourceGroups) ? (specOf(o).resourceGroups as unknown[]) : [];
  return groups.flatMap((g) =>
    isRec(g) && Array.isArray(g.coveredResources) ? g.coveredResources.map(String) : [],
  );
}

export function queueQuotas(q: K8sDocument): QueueQuota[] {
  const out: QueueQuota[] = [];
  const groups = Array.isArray(specOf(q.object).resourceGroups)
    ? (specOf(q.object).resourceGroups as unknown[])
    : [];
  for (const g of groups) {
    if (!isRec(g) || !Array.isArray(g.flavors)) continue;
    for (const f of g.flavors) {
      if (!isRec(f) || !Array.isArray(f.resources)) continue;
      for (const r of f.resources)
        if (isRec(r))
          out.push({
            queue: q,
            flavor: String(f.name),
            resource: String(r.name),
            nominal: parseQuantity(r.nominalQuota),
          });
    }
  }
  return out;
}

export function clusterQueues(ctx: RuleContext, cluster?: string): K8sDocument[] {
  return k8sDocs(ctx, 'ClusterQueue').filter((d) => cluster === undefined || clusterOf(d) === cluster);
}

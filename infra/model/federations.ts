/**
 * Federations: one Kueue manager cluster dispatching tenants' queued work to worker clusters
 * (Kueue MultiKueue), and where each federated queue may dispatch. Placement is part of the model
 * (it knows no target): every target and check reads the same answer.
 */
import { z } from 'zod';
import { classificationAllows, classificationRank, type Classification } from './classification';
import type { Platform } from './platform';
import { Id, Text } from './primitives';

export const Federation = z.strictObject({
  id: Id,
  description: Text.optional(),
  /** The cluster whose Kueue admits federated work and dispatches it. */
  manager: Id,
  /** The clusters that run it. */
  workers: z.array(Id).min(1, { message: 'must list at least one worker cluster' }),
});
export type Federation = z.infer<typeof Federation>;

/** Why a worker is not in a tenant's dispatch list. */
export interface ExcludedWorker {
  readonly worker: string;
  readonly reason: string;
}

/** Where one tenant's federated queue dispatches. */
export interface FederatedQueue {
  readonly federation: string;
  readonly manager: string;
  readonly tenant: string;
  /** The highest classification among the datasets the tenant holds a grant on (public if none). */
  readonly requires: Classification;
  /** Worker clusters the queue dispatches to, sorted by id. */
  readonly workers: readonly string[];
  readonly excluded: readonly ExcludedWorker[];
}

/** The highest classification of the datasets a tenant holds a grant on; public without grants. */
export function tenantDataClassification(platform: Platform, tenantId: string): Classification {
  const classes = new Map(platform.datasets.map((d) => [d.id, d.classification]));
  let top: Classification = 'public';
  for (const g of platform.grants) {
    if (g.tenant !== tenantId) continue;
    const c = classes.get(g.dataset);
    if (c && classificationRank(c) > classificationRank(top)) top = c;
  }
  return top;
}

/** Why `tenantId` may not dispatch to cluster `workerId`, or undefined when it may. */
function exclusion(
  platform: Platform,
  tenantId: string,
  workerId: string,
  requires: Classification,
): string | undefined {
  const worker = platform.clusters.find((c) => c.id === workerId);
  const enclave = worker && platform.enclaves.find((e) => e.id === worker.enclave);
  const site = worker && platform.sites.find((s) => s.id === worker.site);
  if (!worker || !enclave || !site) return 'unknown cluster, enclave or site';
  if (!classificationAllows(enclave.classification, requires))
    return `its enclave ${enclave.id} is ${enclave.classification}, below the tenant's ${requires} data`;
  if (site.kind === 'partner') {
    if (!classificationAllows(site.ceiling, requires))
      return `partner site ${site.id} attests a ${site.ceiling} ceiling, below the tenant's ${requires} data`;
    if (site.partner !== tenantId && !site.serves.includes(tenantId))
      return `partner site ${site.id} does not serve the tenant`;
  }
  const tenant = platform.tenants.find((t) => t.id === tenantId);
  if (!tenant?.quotas.gpu[workerId]) return 'the tenant has no GPU quota on it';
  return undefined;
}

/** The tenants whose queue opts into federation `id` (each tenant's `federations`), sorted. */
export function federatedTenants(platform: Platform, id: string): string[] {
  return platform.tenants
    .filter((t) => t.federations.includes(id))
    .map((t) => t.id)
    .sort();
}

/** Every federated queue of the platform, by federation then tenant. Linear in tenants times workers. */
export function federationPlacement(platform: Platform): FederatedQueue[] {
  const out: FederatedQueue[] = [];
  const requires = new Map<string, Classification>();
  const need = (t: string): Classification => {
    let c = requires.get(t);
    if (!c) requires.set(t, (c = tenantDataClassification(platform, t)));
    return c;
  };
  const optIns = new Map<string, string[]>();
  for (const t of platform.tenants)
    for (const f of new Set(t.federations))
      optIns
        .set(f, optIns.get(f) ?? [])
        .get(f)!
        .push(t.id);
  for (const f of [...(platform.federations ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    for (const tenant of (optIns.get(f.id) ?? []).sort()) {
      const workers: string[] = [];
      const excluded: ExcludedWorker[] = [];
      for (const w of [...new Set(f.workers)].sort()) {
        const why = exclusion(platform, tenant, w, need(tenant));
        if (why) excluded.push({ worker: w, reason: why });
        else workers.push(w);
      }
      out.push({ federation: f.id, manager: f.manager, tenant, requires: need(tenant), workers, excluded });
    }
  }
  return out;
}

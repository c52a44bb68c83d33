/**
 * Federations: the manager and workers exist and differ, each worker's enclave may be reached
 * from the manager's (the manager calls each worker's API), the manager is the platform's own,
 * and every opted-in tenant has quota on the manager and at least one worker that may hold all
 * the data it holds grants on.
 */
import { federationPlacement } from '../federations';
import type { CheckContext, ModelCheck } from './context';

function shapeRules(ctx: CheckContext): void {
  ctx.platform.federations.forEach((f, i) => {
    const at = ['federations', i];
    const manager = ctx.ref(ctx.clusters, f.manager, [...at, 'manager'], 'cluster');
    if (manager && ctx.sites.get(manager.site)?.kind === 'partner')
      ctx.add(
        [...at, 'manager'],
        `"${f.manager}" is on a partner site; the manager must be a platform cluster`,
      );
    const seen = new Set<string>();
    f.workers.forEach((w, j) => {
      const worker = ctx.ref(ctx.clusters, w, [...at, 'workers', j], 'cluster');
      if (w === f.manager)
        ctx.add([...at, 'workers', j], `"${w}" is the manager; a manager cannot be its own worker`);
      if (seen.has(w)) ctx.add([...at, 'workers', j], `worker "${w}" is listed twice`);
      seen.add(w);
      if (!manager || !worker || worker.enclave === manager.enclave) return;
      const enclave = ctx.enclaves.get(worker.enclave);
      if (enclave && !enclave.reachableFrom.includes(manager.enclave))
        ctx.add(
          [...at, 'workers', j],
          `the manager's enclave "${manager.enclave}" may not reach worker "${w}" in "${worker.enclave}"; add it to that enclave's reachableFrom`,
        );
    });
    const tenants = new Set<string>();
    f.tenants.forEach((t, j) => {
      const tenant = ctx.ref(ctx.tenants, t, [...at, 'tenants', j], 'tenant');
      if (tenants.has(t)) ctx.add([...at, 'tenants', j], `tenant "${t}" is listed twice`);
      tenants.add(t);
      if (tenant && manager && !tenant.quotas.gpu[manager.id])
        ctx.add(
          [...at, 'tenants', j],
          `tenant "${t}" has no GPU quota on manager "${manager.id}", which admits its federated work`,
        );
    });
  });
}

/** A tenant opts into at most one federation per manager: its one queue there dispatches once. */
function oneFederationPerManager(ctx: CheckContext): void {
  const seen = new Map<string, string>();
  ctx.platform.federations.forEach((f, i) =>
    f.tenants.forEach((t, j) => {
      const key = `${f.manager}|${t}`;
      const prior = seen.get(key);
      if (prior && prior !== f.id)
        ctx.add(
          ['federations', i, 'tenants', j],
          `tenant "${t}" already dispatches from manager "${f.manager}" through federation "${prior}"`,
        );
      else seen.set(key, f.id);
    }),
  );
}

export const federationRules: ModelCheck = {
  name: 'federations',
  description:
    "a federation's manager reaches its workers, and each opted-in tenant has a worker whose classification covers all its granted data",
  run(ctx) {
    if (!ctx.platform.federations.length) return;
    shapeRules(ctx);
    oneFederationPerManager(ctx);
    const known = (id: string): boolean => ctx.clusters.has(id);
    const index = new Map(ctx.platform.federations.map((f, i) => [f.id, i]));
    for (const q of federationPlacement(ctx.platform)) {
      const i = index.get(q.federation) ?? 0;
      const f = ctx.platform.federations[i];
      if (q.workers.length || !known(q.manager) || !ctx.tenants.has(q.tenant)) continue;
      if (!f.workers.every(known)) continue;
      ctx.add(
        ['federations', i, 'tenants', f.tenants.indexOf(q.tenant)],
        `no worker may take tenant "${q.tenant}"'s work (it holds ${q.requires} data): ${q.excluded.map((e) => `${e.worker}: ${e.reason}`).join('; ')}`,
      );
    }
  },
};

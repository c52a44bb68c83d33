/**
 * Federations: the manager and workers exist and differ, each worker's enclave may be reached
 * from the manager's (the manager calls each worker's API), the manager is the platform's own,
 * and every tenant that opts in names a known federation, has quota on its manager, opts into
 * one federation per manager, and has at least one worker that may hold all the data it holds
 * grants on.
 */
import { federationPlacement } from '../federations';
import { addressInCidr } from '../primitives';
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
      // An unknown enclave is reported where it is named, once.
      if (!ctx.enclaves.has(manager.enclave)) return;
      const enclave = ctx.enclaves.get(worker.enclave);
      if (enclave && !enclave.reachableFrom.includes(manager.enclave))
        ctx.add(
          [...at, 'workers', j],
          `the manager's enclave "${manager.enclave}" may not reach worker "${w}" in "${worker.enclave}"; add it to that enclave's reachableFrom`,
        );
    });
  });
}

/**
 * The network path of each federation: a worker on another site than its manager declares the API
 * endpoint the manager calls (inside the worker's enclave) and, off AWS, the IPsec peer of its site
 * (a partner site in the partner's AWS account is reached through a transit gateway instead).
 */
function pathRules(ctx: CheckContext): void {
  ctx.platform.clusters.forEach((c, i) => {
    const enclave = ctx.enclaves.get(c.enclave);
    if (c.apiServer && enclave && !addressInCidr(c.apiServer.address, enclave.cidr))
      ctx.add(
        ['clusters', i, 'apiServer', 'address'],
        `${c.apiServer.address} is outside the cluster's enclave "${enclave.id}" (${enclave.cidr})`,
      );
  });
  const index = new Map(ctx.platform.clusters.map((c, i) => [c.id, i]));
  ctx.platform.federations.forEach((f, i) => {
    const manager = ctx.clusters.get(f.manager);
    f.workers.forEach((w, j) => {
      const worker = ctx.clusters.get(w);
      if (!manager || !worker || worker.site === manager.site) return;
      if (!worker.apiServer) {
        ctx.add(
          ['federations', i, 'workers', j],
          `worker "${w}" is on site "${worker.site}", not the manager's "${manager.site}": give cluster "${w}" an apiServer (address and port the manager calls)`,
        );
        return;
      }
      const managerOnAws = ctx.sites.get(manager.site)?.kind === 'aws';
      const workerSite = ctx.sites.get(worker.site);
      // An AWS-hosted partner site is reached through a transit gateway (checks/partner-aws.ts).
      const workerOnAws = workerSite?.kind === 'aws' || (workerSite?.kind === 'partner' && !!workerSite.aws);
      if (managerOnAws && !workerOnAws && !worker.apiServer.vpnPeer)
        ctx.add(
          ['clusters', index.get(w) ?? 0, 'apiServer'],
          `worker "${w}" of federation "${f.id}" is off AWS: give apiServer.vpnPeer, the public address of site "${worker.site}"'s IPsec gateway the manager's VPN connects to`,
        );
    });
  });
}

/** Each opt-in names a federation, once, with quota on its manager and one federation per manager. */
function optInRules(ctx: CheckContext): void {
  const federations = new Map(ctx.platform.federations.map((f) => [f.id, f]));
  ctx.platform.tenants.forEach((t, i) => {
    const byManager = new Map<string, string>();
    t.federations.forEach((id, j) => {
      const at = ['tenants', i, 'federations', j];
      const f = ctx.ref(federations, id, at, 'federation');
      if (!f) return;
      const prior = byManager.get(f.manager);
      if (prior === id) ctx.add(at, `federation "${id}" is listed twice`);
      else if (prior)
        ctx.add(at, `the tenant's queue on "${f.manager}" already dispatches through federation "${prior}"`);
      byManager.set(f.manager, id);
      if (ctx.clusters.has(f.manager) && !t.quotas.gpu[f.manager])
        ctx.add(at, `the tenant has no GPU quota on manager "${f.manager}", which admits its federated work`);
    });
  });
}

export const federationRules: ModelCheck = {
  name: 'federations',
  description:
    "a federation's manager reaches its workers, and each tenant that opts in has a worker whose classification covers all its granted data",
  run(ctx) {
    shapeRules(ctx);
    pathRules(ctx);
    optInRules(ctx);
    if (!ctx.platform.federations.length) return;
    const fed = new Map(ctx.platform.federations.map((f) => [f.id, f]));
    const tenantIndex = new Map(ctx.platform.tenants.map((t, i) => [t.id, i]));
    for (const q of federationPlacement(ctx.platform)) {
      const f = fed.get(q.federation);
      if (
        q.workers.length ||
        !f ||
        !ctx.clusters.has(q.manager) ||
        !f.workers.every((w) => ctx.clusters.has(w))
      )
        continue;
      const i = tenantIndex.get(q.tenant) ?? 0;
      ctx.add(
        ['tenants', i, 'federations', ctx.platform.tenants[i].federations.indexOf(q.federation)],
        `no worker of federation "${q.federation}" may take this tenant's work (it holds ${q.requires} data): ${q.excluded.map((e) => `${e.worker}: ${e.reason}`).join('; ')}`,
      );
    }
  },
};

/**
 * Tenants: attestation and agreement dates, and quotas that fit. GPU quotas may not add up to more
 * than a pool has; storage quotas not to more than a tier's capacity at the tenant's site. Each sum
 * is reported once, at the tenant whose quota crosses the limit.
 */
import { poolCapacity } from '../capacity';
import { classificationAllows, isRestricted } from '../classification';
import type { Enclave } from '../enclaves';
import { federationPlacement } from '../federations';
import { formatBytes, quantityToBytes } from '../primitives';
import type { Tenant } from '../tenants';
import type { CheckContext, ModelCheck } from './context';

const workerIndex = new WeakMap<object, Set<string>>();

/** `tenant|cluster` for every worker a tenant's federated queue dispatches to. */
function federatedWorkers(ctx: CheckContext): Set<string> {
  let set = workerIndex.get(ctx.platform);
  if (!set) {
    set = new Set(federationPlacement(ctx.platform).flatMap((q) => q.workers.map((w) => `${q.tenant}|${w}`)));
    workerIndex.set(ctx.platform, set);
  }
  return set;
}

interface Totals {
  readonly gpuByPool: Map<string, { total: number; tenants: string[] }>;
  readonly storageByTier: Map<string, { total: bigint; tenants: string[] }>;
}

function identityRules(ctx: CheckContext, t: Tenant, i: number, home: Enclave | undefined): void {
  const now = ctx.options.now;
  if (t.usPerson.attested && !t.usPerson.date)
    ctx.add(['tenants', i, 'usPerson', 'date'], 'an attestation must carry its date');
  if (t.usPerson.date && t.usPerson.date > now)
    ctx.add(
      ['tenants', i, 'usPerson', 'date'],
      `the attestation is dated ${t.usPerson.date}, after today (${now})`,
    );
  if (!t.usPerson.attested && home?.classification === 'export-controlled') {
    ctx.add(
      ['tenants', i, 'homeEnclave'],
      `a tenant without US-person attestation cannot be homed in export-controlled enclave "${home.id}"`,
    );
  }
  if (t.agreement.expires < now)
    ctx.add(
      ['tenants', i, 'agreement', 'expires'],
      `the agreement expired on ${t.agreement.expires} (now is ${now})`,
    );
}

function gpuQuotas(ctx: CheckContext, t: Tenant, i: number, home: Enclave | undefined, totals: Totals): void {
  for (const [clusterId, pools] of Object.entries(t.quotas.gpu)) {
    const cpath = ['tenants', i, 'quotas', 'gpu', clusterId];
    const cluster = ctx.ref(ctx.clusters, clusterId, cpath, 'cluster');
    if (!cluster) continue;
    // Only when both enclaves exist: an unknown one is reported where it is named.
    // Outside the home enclave only as a federation worker that may hold the tenant's data.
    if (
      home &&
      ctx.enclaves.has(cluster.enclave) &&
      cluster.enclave !== t.homeEnclave &&
      !federatedWorkers(ctx).has(`${t.id}|${clusterId}`)
    ) {
      ctx.add(
        cpath,
        `cluster "${clusterId}" is in enclave "${cluster.enclave}"; a tenant's workloads run only in its home enclave "${t.homeEnclave}", or on the workers of a federation it opts into that may hold its data`,
      );
    }
    for (const [poolName, q] of Object.entries(pools)) {
      const ppath = [...cpath, poolName];
      const pool = cluster.nodePools.find((n) => n.name === poolName);
      if (!pool) {
        const names = cluster.nodePools.map((n) => n.name).join(', ');
        ctx.add(ppath, `cluster "${clusterId}" has no node pool "${poolName}"; it has ${names}`);
        continue;
      }
      if (q.lending !== undefined && q.lending > q.nominal)
        ctx.add([...ppath, 'lending'], `lending ${q.lending} exceeds nominal ${q.nominal}`);
      const key = `${clusterId}/${poolName}`;
      const acc = totals.gpuByPool.get(key) ?? { total: 0, tenants: [] };
      acc.total += q.nominal;
      acc.tenants.push(`${t.id} ${q.nominal}`);
      totals.gpuByPool.set(key, acc);
      const cap = poolCapacity(pool).units;
      if (acc.total > cap && acc.total - q.nominal <= cap) {
        ctx.add(
          [...ppath, 'nominal'],
          `nominal GPU quotas on ${clusterId}/${poolName} add up to ${acc.total} (${acc.tenants.join(', ')}), more than the ${cap} the pool has; ${cap - (acc.total - q.nominal)} were free for "${t.id}"`,
        );
      }
    }
  }
}

function storageQuotas(
  ctx: CheckContext,
  t: Tenant,
  i: number,
  home: Enclave | undefined,
  totals: Totals,
): void {
  for (const [tierId, size] of Object.entries(t.quotas.storage)) {
    const spath = ['tenants', i, 'quotas', 'storage', tierId];
    const tier = ctx.ref(ctx.tiers, tierId, spath, 'storage tier');
    if (!tier) continue;
    if (
      home &&
      !classificationAllows(tier.maxClassification, home.classification) &&
      isRestricted(home.classification)
    ) {
      ctx.add(
        spath,
        `tier "${tierId}" allows at most ${tier.maxClassification}; the tenant works in ${home.classification} enclave "${home.id}"`,
      );
    }
    // Storage is provisioned on the site where the tenant works: count that realisation only.
    const site = home?.site;
    const realisation = tier.sites.find((r) => r.site === site);
    if (!site) continue;
    if (!realisation) {
      ctx.add(
        spath,
        `tier "${tierId}" is not realised on site "${site}", where the tenant's home enclave is`,
      );
      continue;
    }
    const key = `${tierId}@${site}`;
    const acc = totals.storageByTier.get(key) ?? { total: 0n, tenants: [] };
    const before = acc.total;
    acc.total += quantityToBytes(size);
    acc.tenants.push(`${t.id} ${size}`);
    totals.storageByTier.set(key, acc);
    const capacity = quantityToBytes(realisation.capacity);
    if (acc.total > capacity && before <= capacity) {
      ctx.add(
        spath,
        `storage quotas on tier "${tierId}" at site "${site}" add up to ${formatBytes(acc.total)} (${acc.tenants.join(', ')}), more than its capacity of ${formatBytes(capacity)}; ${formatBytes(capacity - before)} were free for "${t.id}"`,
      );
    }
  }
}

export const tenantRules: ModelCheck = {
  name: 'tenants',
  description:
    'attestations are dated, agreements current, GPU quotas on pools of the home enclave and within capacity, storage quotas within the tier at the home site',
  run(ctx) {
    const totals: Totals = { gpuByPool: new Map(), storageByTier: new Map() };
    ctx.platform.tenants.forEach((t, i) => {
      const home = ctx.ref(ctx.enclaves, t.homeEnclave, ['tenants', i, 'homeEnclave'], 'enclave');
      identityRules(ctx, t, i, home);
      gpuQuotas(ctx, t, i, home, totals);
      storageQuotas(ctx, t, i, home, totals);
    });
  },
};

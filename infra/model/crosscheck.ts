/**
 * Checks that span more than one field: references, uniqueness, address plans, capacity, data
 * classification and grant validity. zod checks each value's shape; these check that the values
 * make one coherent, lawful platform. Every problem is collected, none stops the others.
 */
import { GPU_INFO } from './accelerators';
import { poolCapacity } from './capacity';
import { classificationAllows, classificationRank, isRestricted } from './classification';
import type { Enclave } from './enclaves';
import type { Platform } from './platform';
import { closest } from './spelling';
import { cidrsOverlap, formatBytes, normaliseId, parseCidr, quantityToBytes, type Ipv4Cidr } from './primitives';

export type IssuePath = ReadonlyArray<string | number>;

/** Node pool names the platform uses for its own (untainted, non-GPU) nodes. */
export const RESERVED_POOL_NAMES: readonly string[] = ['system'];

export interface ModelIssue {
  readonly path: IssuePath;
  readonly message: string;
  /** A warning does not make the platform invalid (an expired grant: it gives no access). */
  readonly severity?: 'warning';
}

export interface CrossCheckOptions {
  /** The date grants and agreements are judged against, YYYY-MM-DD (UTC). */
  readonly now: string;
}

type Collection = 'sites' | 'enclaves' | 'storageTiers' | 'clusters' | 'datasets' | 'tenants';

const NOUN: Record<Collection, string> = {
  sites: 'site',
  enclaves: 'enclave',
  storageTiers: 'storage tier',
  clusters: 'cluster',
  datasets: 'dataset',
  tenants: 'tenant',
};

export function crossCheck(p: Platform, options: CrossCheckOptions): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const add = (path: IssuePath, message: string): void => {
    issues.push({ path, message });
  };

  const index = <T extends { id: string }>(items: readonly T[]): Map<string, T> => new Map(items.map((i) => [i.id, i]));
  const sites = index(p.sites);
  const enclaves = index(p.enclaves);
  const tiers = index(p.storageTiers);
  const clusters = index(p.clusters);
  const datasets = index(p.datasets);
  const tenants = index(p.tenants);

  // --- identity: duplicates and names that collide once normalised -------------------------
  const uniqueNames = (names: readonly string[], path: (i: number) => IssuePath, noun: string): void => {
    const seen = new Map<string, { name: string; at: number }>();
    names.forEach((name, i) => {
      const key = normaliseId(name);
      const prior = seen.get(key);
      if (!prior) {
        seen.set(key, { name, at: i });
      } else if (prior.name === name) {
        add(path(i), `duplicate ${noun} "${name}" (first declared at index ${prior.at})`);
      } else {
        add(path(i), `${noun} "${name}" collides with "${prior.name}" once normalised (names must differ by more than "-")`);
      }
    });
  };
  for (const c of Object.keys(NOUN) as Collection[]) {
    uniqueNames(
      p[c].map((x) => x.id),
      (i) => [c, i, 'id'],
      NOUN[c],
    );
  }
  p.clusters.forEach((c, ci) =>
    uniqueNames(
      c.nodePools.map((n) => n.name),
      (i) => ['clusters', ci, 'nodePools', i, 'name'],
      'node pool',
    ),
  );

  // An unknown id is one mistake: reported once, where it is first named, with a likely meaning.
  const unknown = new Map<string, { issue: number; others: number; message: string }>();
  const ref = <T>(map: Map<string, T>, id: string, path: IssuePath, noun: string): T | undefined => {
    const found = map.get(id);
    if (found) return found;
    const prior = unknown.get(`${noun}/${id}`);
    if (prior) prior.others += 1;
    else {
      const meant = closest(id, map.keys());
      unknown.set(`${noun}/${id}`, { issue: issues.length, others: 0, message: `unknown ${noun} "${id}"${meant ? `; did you mean "${meant}"?` : ''}` });
      add(path, '');
    }
    return undefined;
  };

  // --- enclaves ------------------------------------------------------------------------------
  const cidrsBySite = new Map<string, Array<{ cidr: Ipv4Cidr; i: number; text: string }>>();
  p.enclaves.forEach((e, i) => {
    ref(sites, e.site, ['enclaves', i, 'site'], 'site');
    const cidr = parseCidr(e.cidr);
    if (typeof cidr !== 'string') {
      const list = cidrsBySite.get(e.site) ?? [];
      for (const other of list) {
        if (cidrsOverlap(cidr, other.cidr)) {
          add(['enclaves', i, 'cidr'], `${e.cidr} overlaps ${other.text} of enclave "${p.enclaves[other.i].id}" on site "${e.site}"`);
        }
      }
      list.push({ cidr, i, text: e.cidr });
      cidrsBySite.set(e.site, list);
    }
    if (isRestricted(e.classification) && e.egress.mode !== 'none') {
      add(['enclaves', i, 'egress', 'mode'], `a ${e.classification} enclave must have egress "none"; only public enclaves may reach the internet`);
    }
    e.reachableFrom.forEach((from, j) => {
      const path = ['enclaves', i, 'reachableFrom', j];
      if (from === e.id) {
        add(path, 'an enclave need not list itself');
        return;
      }
      const source = ref(enclaves, from, path, 'enclave');
      if (source && classificationRank(source.classification) < classificationRank(e.classification)) {
        add(path, `${source.classification} enclave "${from}" may not reach ${e.classification} enclave "${e.id}": data would flow to a lower classification`);
      }
    });
  });

  // --- storage tiers --------------------------------------------------------------------------
  const backendFor: Record<string, readonly string[]> = {
    'parallel-fs': ['lustre'],
    file: ['nfs', 'cephfs'],
    object: ['s3'],
    archive: ['s3'],
  };
  p.storageTiers.forEach((t, i) => {
    if (t.kind === 'archive') {
      if (!t.objectLock) add(['storageTiers', i, 'objectLock'], 'an archive tier must set objectLock');
      if (!t.versioning) add(['storageTiers', i, 'versioning'], 'an archive tier must enable versioning');
    } else {
      if (t.objectLock && t.kind !== 'object') add(['storageTiers', i, 'objectLock'], `object lock applies to object and archive tiers, not ${t.kind}`);
      if (t.transitionToGlacierDays !== undefined) add(['storageTiers', i, 'transitionToGlacierDays'], 'only archive tiers move to Glacier');
    }
    if (t.objectLock && !t.versioning) add(['storageTiers', i, 'versioning'], 'object lock requires versioning');
    const seenSites = new Set<string>();
    t.sites.forEach((r, j) => {
      const path = ['storageTiers', i, 'sites', j];
      if (seenSites.has(r.site)) add([...path, 'site'], `site "${r.site}" is listed twice`);
      seenSites.add(r.site);
      const site = ref(sites, r.site, [...path, 'site'], 'site');
      if (!site) return;
      if (site.kind === 'aws') {
        for (const k of ['backend', 'endpoint', 'path'] as const) {
          if (r[k] !== undefined) add([...path, k], `AWS sites use the managed service for "${t.kind}"; ${k} applies to on-prem sites only`);
        }
      } else {
        if (!r.backend) add([...path, 'backend'], `on-prem site "${r.site}" must name the backend (${backendFor[t.kind].join(' or ')})`);
        else if (!backendFor[t.kind].includes(r.backend)) add([...path, 'backend'], `backend "${r.backend}" cannot realise a ${t.kind} tier; use ${backendFor[t.kind].join(' or ')}`);
        if (!r.endpoint) add([...path, 'endpoint'], `on-prem site "${r.site}" must give the storage endpoint`);
      }
    });
  });

  // --- clusters -------------------------------------------------------------------------------
  p.clusters.forEach((c, i) => {
    const site = ref(sites, c.site, ['clusters', i, 'site'], 'site');
    const enclave = ref(enclaves, c.enclave, ['clusters', i, 'enclave'], 'enclave');
    if (enclave && enclave.site !== c.site) {
      add(['clusters', i, 'enclave'], `enclave "${c.enclave}" is on site "${enclave.site}", not on the cluster's site "${c.site}"`);
    }
    if (site?.kind === 'onprem' && site.kubernetesVersion !== c.kubernetesVersion) {
      add(['clusters', i, 'kubernetesVersion'], `${c.kubernetesVersion} differs from site "${site.id}", which runs ${site.kubernetesVersion}`);
    }
    c.nodePools.forEach((pool, j) => {
      const path = ['clusters', i, 'nodePools', j];
      if (RESERVED_POOL_NAMES.includes(pool.name)) add([...path, 'name'], `"${pool.name}" is reserved for the platform's own nodes; choose another pool name`);
      if (site?.kind === 'aws' && !pool.instanceType) add([...path, 'instanceType'], 'a node pool on an AWS site must name its EC2 instance type');
      if (site?.kind === 'onprem' && pool.instanceType) add([...path, 'instanceType'], 'instanceType applies to AWS sites only');
      if ('min' in pool.nodes && pool.nodes.min > pool.nodes.max) add([...path, 'nodes', 'min'], `min ${pool.nodes.min} exceeds max ${pool.nodes.max}`);
      const info = GPU_INFO[pool.gpu.model];
      if (pool.sharing.mode === 'mig' && info.migProfiles[pool.sharing.profile] === undefined) {
        const known = Object.keys(info.migProfiles);
        add(
          [...path, 'sharing', 'profile'],
          known.length
            ? `${pool.gpu.model} has no MIG profile "${pool.sharing.profile}"; it has ${known.join(', ')}`
            : `${pool.gpu.model} does not support MIG`,
        );
      }
      if (pool.sharing.mode === 'time-slicing' && info.vendor !== 'nvidia') {
        add([...path, 'sharing', 'mode'], `time-slicing is an NVIDIA device-plugin feature; ${pool.gpu.model} does not support it`);
      }
    });
  });

  // --- datasets -------------------------------------------------------------------------------
  p.datasets.forEach((d, i) => {
    const enclave = ref(enclaves, d.enclave, ['datasets', i, 'enclave'], 'enclave');
    const tier = ref(tiers, d.tier, ['datasets', i, 'tier'], 'storage tier');
    if (enclave && !classificationAllows(enclave.classification, d.classification)) {
      add(['datasets', i, 'classification'], `${d.classification} data cannot be held in ${enclave.classification} enclave "${enclave.id}"`);
    }
    if (tier && !classificationAllows(tier.maxClassification, d.classification)) {
      add(['datasets', i, 'classification'], `${d.classification} data cannot be held on tier "${tier.id}", which allows at most ${tier.maxClassification}`);
    }
    if (enclave && tier && !tier.sites.some((r) => r.site === enclave.site)) {
      add(['datasets', i, 'tier'], `tier "${tier.id}" is not realised on site "${enclave.site}", where enclave "${enclave.id}" is`);
    }
    d.curators.forEach((c, j) => ref(tenants, c, ['datasets', i, 'curators', j], 'tenant'));
    if (d.exportControl && d.classification !== 'export-controlled') {
      add(['datasets', i, 'exportControl'], `an export-control marking requires classification "export-controlled", not "${d.classification}"`);
    }
  });

  // --- tenants --------------------------------------------------------------------------------
  const nominalByPool = new Map<string, { total: number; tenants: string[] }>();
  const storageByTier = new Map<string, { total: bigint; tenants: string[] }>();
  p.tenants.forEach((t, i) => {
    const home = ref(enclaves, t.homeEnclave, ['tenants', i, 'homeEnclave'], 'enclave');
    if (t.usPerson.attested && !t.usPerson.date) add(['tenants', i, 'usPerson', 'date'], 'an attestation must carry its date');
    if (t.usPerson.date && t.usPerson.date > options.now) add(['tenants', i, 'usPerson', 'date'], `the attestation is dated ${t.usPerson.date}, after today (${options.now})`);
    if (!t.usPerson.attested && home?.classification === 'export-controlled') {
      add(['tenants', i, 'homeEnclave'], `a tenant without US-person attestation cannot be homed in export-controlled enclave "${home.id}"`);
    }
    if (t.agreement.expires < options.now) add(['tenants', i, 'agreement', 'expires'], `the agreement expired on ${t.agreement.expires} (now is ${options.now})`);
    for (const [clusterId, pools] of Object.entries(t.quotas.gpu)) {
      const cpath = ['tenants', i, 'quotas', 'gpu', clusterId];
      const cluster = ref(clusters, clusterId, cpath, 'cluster');
      if (!cluster) continue;
      // Only when both enclaves exist: an unknown one is reported where it is named.
      if (home && enclaves.has(cluster.enclave) && cluster.enclave !== t.homeEnclave) {
        add(cpath, `cluster "${clusterId}" is in enclave "${cluster.enclave}"; a tenant's workloads run only in its home enclave "${t.homeEnclave}"`);
      }
      for (const [poolName, q] of Object.entries(pools)) {
        const ppath = [...cpath, poolName];
        const pool = cluster.nodePools.find((n) => n.name === poolName);
        if (!pool) {
          add(ppath, `cluster "${clusterId}" has no node pool "${poolName}"; it has ${cluster.nodePools.map((n) => n.name).join(', ')}`);
          continue;
        }
        if (q.lending !== undefined && q.lending > q.nominal) add([...ppath, 'lending'], `lending ${q.lending} exceeds nominal ${q.nominal}`);
        const key = `${clusterId}/${poolName}`;
        const acc = nominalByPool.get(key) ?? { total: 0, tenants: [] };
        acc.total += q.nominal;
        acc.tenants.push(`${t.id} ${q.nominal}`);
        nominalByPool.set(key, acc);
        const cap = poolCapacity(pool).units;
        // Reported once, at the tenant whose quota crosses the pool's capacity.
        if (acc.total > cap && acc.total - q.nominal <= cap) {
          add(
            [...ppath, 'nominal'],
            `nominal GPU quotas on ${clusterId}/${poolName} add up to ${acc.total} (${acc.tenants.join(', ')}), more than the ${cap} the pool has; ${cap - (acc.total - q.nominal)} were free for "${t.id}"`,
          );
        }
      }
    }
    for (const [tierId, size] of Object.entries(t.quotas.storage)) {
      const spath = ['tenants', i, 'quotas', 'storage', tierId];
      const tier = ref(tiers, tierId, spath, 'storage tier');
      if (!tier) continue;
      if (home && !classificationAllows(tier.maxClassification, home.classification) && isRestricted(home.classification)) {
        add(spath, `tier "${tierId}" allows at most ${tier.maxClassification}; the tenant works in ${home.classification} enclave "${home.id}"`);
      }
      // Storage is provisioned on the site where the tenant works: count that realisation only.
      const site = home?.site;
      const realisation = tier.sites.find((r) => r.site === site);
      if (!site) continue;
      if (!realisation) {
        add(spath, `tier "${tierId}" is not realised on site "${site}", where the tenant's home enclave is`);
        continue;
      }
      const key = `${tierId}@${site}`;
      const acc = storageByTier.get(key) ?? { total: 0n, tenants: [] };
      const before = acc.total;
      acc.total += quantityToBytes(size);
      acc.tenants.push(`${t.id} ${size}`);
      storageByTier.set(key, acc);
      const capacity = quantityToBytes(realisation.capacity);
      if (acc.total > capacity && before <= capacity) {
        add(spath, `storage quotas on tier "${tierId}" at site "${site}" add up to ${formatBytes(acc.total)} (${acc.tenants.join(', ')}), more than its capacity of ${formatBytes(capacity)}; ${formatBytes(capacity - before)} were free for "${t.id}"`);
      }
    }
  });

  // --- grants ---------------------------------------------------------------------------------
  const grantKeys = new Map<string, number>();
  p.grants.forEach((g, i) => {
    const tenant = ref(tenants, g.tenant, ['grants', i, 'tenant'], 'tenant');
    const dataset = ref(datasets, g.dataset, ['grants', i, 'dataset'], 'dataset');
    const key = `${g.tenant}/${g.dataset}`;
    const prior = grantKeys.get(key);
    if (prior !== undefined) add(['grants', i], `tenant "${g.tenant}" already holds a grant of "${g.dataset}" (index ${prior})`);
    else grantKeys.set(key, i);
    if (g.expires < options.now) {
      issues.push({ path: ['grants', i, 'expires'], message: `the grant expired on ${g.expires} (now is ${options.now}); it gives no access and is left out of the output`, severity: 'warning' });
    }
    if (!tenant || !dataset) return;
    if (g.expires > tenant.agreement.expires) {
      add(['grants', i, 'expires'], `the grant runs to ${g.expires}, past the end of the tenant's agreement on ${tenant.agreement.expires}`);
    }
    if (g.access === 'write' && !dataset.curators.includes(tenant.id)) {
      add(['grants', i, 'access'], `only the curators of "${dataset.id}" may write to it (${dataset.curators.join(', ') || 'none are named'}); grant "read", or ask the platform team to name "${tenant.id}" a curator`);
    }
    if (dataset.classification === 'export-controlled' && !tenant.usPerson.attested) {
      add(['grants', i, 'dataset'], `"${dataset.id}" is export-controlled and tenant "${tenant.id}" has no US-person attestation`);
    }
    const home = enclaves.get(tenant.homeEnclave);
    const target = enclaves.get(dataset.enclave);
    if (home && target && !canReach(home, target)) {
      add(['grants', i, 'dataset'], `tenant "${tenant.id}" works in enclave "${home.id}", which may not reach enclave "${target.id}" where "${dataset.id}" is held`);
    }
  });

  for (const u of unknown.values()) {
    const also = u.others > 0 ? ` (named ${u.others} more time${u.others === 1 ? '' : 's'} below)` : '';
    issues[u.issue] = { ...issues[u.issue], message: `${u.message}${also}` };
  }
  return issues;
}

function canReach(from: Enclave, to: Enclave): boolean {
  return from.id === to.id || to.reachableFrom.includes(from.id);
}

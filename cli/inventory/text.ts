/** The inventory as a report for people: one titled section per part, aligned tables. */
import { list, span, table } from './table';
import type { FederationRow, Inventory, PartnerRow } from './types';

const section = (title: string, count: number, body: string[], note?: string): string[] => [
  '',
  `${title} (${count})${note ? `: ${note}` : ''}`,
  ...(count > 0 ? body : ['  (none)']),
];

function capacity(inv: Inventory): string[] {
  const sites = table(
    ['SITE', 'KIND', 'WHERE', 'ENCLAVES', 'CLUSTERS', 'GPUS'],
    inv.sites.map((s) => [s.site, s.kind, s.where, list(s.enclaves), list(s.clusters), span(s.gpus)]),
    [5],
  );
  const gpus = table(
    [
      'CLUSTER',
      'POOL',
      'SITE',
      'ENCLAVE',
      'MODEL',
      'GPUS/NODE',
      'NODES',
      'GPUS',
      'SHARING',
      'UNITS/NODE',
      'UNITS',
      'RESOURCE',
    ],
    inv.pools.map((p) => [
      p.cluster,
      p.pool,
      p.site,
      p.enclave,
      p.model,
      String(p.gpusPerNode),
      span(p.nodes),
      span(p.gpus),
      p.sharing,
      String(p.unitsPerNode),
      span(p.units),
      p.resource,
    ]),
    [5, 6, 7, 9, 10],
  );
  const hosts = table(
    ['CLUSTER', 'POOL', 'NODES', 'CPU/NODE', 'CPU', 'MEMORY/NODE', 'MEMORY'],
    inv.pools.map((p) => [
      p.cluster,
      p.pool,
      span(p.nodes),
      p.cpu.perNode,
      span(p.cpu),
      p.memory.perNode,
      span(p.memory),
    ]),
    [2, 3, 4, 5, 6],
  );
  return [
    ...section('Sites', inv.sites.length, sites),
    ...section('GPUs per node pool', inv.pools.length, [
      ...gpus,
      `  total: ${span(inv.totals.gpus)} physical GPUs`,
    ]),
    ...section('CPU and memory per node pool', inv.pools.length, hosts),
  ];
}

function data(inv: Inventory): string[] {
  const storage = table(
    ['TIER', 'SITE', 'KIND', 'CAPACITY', 'BACKEND', 'MAX CLASSIFICATION'],
    inv.storage.map((s) => [s.tier, s.site, s.kind, s.capacity, s.backend, s.maxClassification]),
    [3],
  );
  const datasets = table(
    ['AGENCY', 'CLASSIFICATION', 'COUNT', 'DATASETS'],
    inv.datasets.map((d) => [d.agency, d.classification, String(d.datasets.length), list(d.datasets)]),
    [2],
  );
  return [
    ...section('Storage per tier and site', inv.storage.length, storage),
    ...section('Datasets per agency and classification', inv.datasets.length, datasets),
  ];
}

function tenancy(inv: Inventory): string[] {
  const tenants = table(
    [
      'TENANT',
      'KIND',
      'HOME ENCLAVE',
      'AGREEMENT',
      'EXPIRES',
      'GPU NOMINAL',
      'BORROWING',
      'POOLS',
      'ACTIVE GRANTS',
      'EXPIRED GRANTS',
    ],
    inv.tenants.map((t) => [
      t.tenant,
      t.kind,
      t.homeEnclave,
      t.agreement.id,
      t.agreement.expires,
      String(t.gpuQuota.nominal),
      String(t.gpuQuota.borrowing),
      String(t.gpuQuota.pools),
      String(t.grants.active),
      String(t.grants.expired),
    ]),
    [5, 6, 7, 8, 9],
  );
  const grants = table(
    ['TENANT', 'DATASET', 'ACCESS', 'EXPIRES', 'STATUS'],
    inv.grants.map((g) => [g.tenant, g.dataset, g.access, g.expires, g.status]),
  );
  return [
    ...section('Tenants', inv.tenants.length, tenants, 'GPU quota in schedulable units, summed over pools'),
    ...section(`Grants on ${inv.now}`, inv.grants.length, grants),
  ];
}

function partner(p: PartnerRow): string[] {
  const people = p.usPersons.attested
    ? `attested${p.usPersons.date ? ` ${p.usPersons.date}` : ''}`
    : 'not attested';
  return [
    `  ${p.site}: contributed by ${p.partner}`,
    `    agreement ${p.agreement.id}, expires ${p.agreement.expires}, allows ${p.agreement.allows}`,
    `    attested ceiling ${p.ceiling}; US persons ${people}`,
    `    ${span(p.gpus)} GPUs: ${p.clusters.map((c) => `${c.cluster} ${span(c.gpus)} GPUs (${span(c.units)} units)`).join('; ') || 'no cluster'}`,
    `    tenants served: ${[`${p.partner} (the partner)`, ...p.serves.filter((t) => t !== p.partner)].join(', ')}`,
    `    worker of federations: ${list(p.federations)}`,
  ];
}

function federation(f: FederationRow): string[] {
  const queues = table(
    ['TENANT', 'REQUIRES', 'DISPATCHES TO', 'EXCLUDED'],
    f.queues.map((q) => [
      q.tenant,
      q.requires,
      list(q.workers),
      list(q.excluded.map((e) => `${e.worker}: ${e.reason}`)),
    ]),
  ).map((l) => `  ${l}`);
  return [
    `  ${f.federation}: manager ${f.manager}, workers ${list(f.workers)}`,
    ...(f.queues.length > 0 ? queues : ['    (no tenants)']),
  ];
}

export function inventoryText(inv: Inventory, files: number): string {
  const lines = [
    `Inventory of ${inv.platform} on ${inv.now} (${files} file${files === 1 ? '' : 's'})`,
    ...capacity(inv),
    ...data(inv),
    ...tenancy(inv),
    ...section('Partner contributions', inv.partners.length, inv.partners.flatMap(partner)),
    ...section('Federations', inv.federations.length, inv.federations.flatMap(federation)),
  ];
  return `${lines.join('\n')}\n`;
}

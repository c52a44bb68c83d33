/**
 * The inventory as one flat CSV table (RFC 4180): a `section` column says what a row is, the
 * header is every column of every section in the order they first appear, and a row leaves the
 * columns of other sections empty. Lists inside a cell are joined with ";".
 */
import type { Inventory, Range } from './types';

type Cell = string | number | boolean | undefined;
type Row = Readonly<Record<string, Cell>>;

const joined = (items: readonly string[]): string => items.join(';');
const range = (name: string, r: Range): Row => ({
  [`${name}_guaranteed`]: r.guaranteed,
  [`${name}_max`]: r.maximum,
});

function capacityRows(inv: Inventory): Row[] {
  return [
    ...inv.sites.map((s) => ({
      section: 'site',
      site: s.site,
      kind: s.kind,
      where: s.where,
      enclaves: joined(s.enclaves),
      clusters: joined(s.clusters),
      ...range('gpus', s.gpus),
    })),
    ...inv.pools.map((p) => ({
      section: 'pool',
      site: p.site,
      cluster: p.cluster,
      enclave: p.enclave,
      pool: p.pool,
      model: p.model,
      gpus_per_node: p.gpusPerNode,
      ...range('nodes', p.nodes),
      ...range('gpus', p.gpus),
      sharing: p.sharing,
      resource: p.resource,
      units_per_node: p.unitsPerNode,
      ...range('units', p.units),
      cpu_per_node: p.cpu.perNode,
      cpu_guaranteed: p.cpu.guaranteed,
      cpu_max: p.cpu.maximum,
      memory_per_node: p.memory.perNode,
      memory_guaranteed: p.memory.guaranteed,
      memory_max: p.memory.maximum,
    })),
  ];
}

function dataRows(inv: Inventory): Row[] {
  return [
    ...inv.storage.map((s) => ({
      section: 'storage',
      site: s.site,
      kind: s.kind,
      tier: s.tier,
      capacity: s.capacity,
      backend: s.backend,
      max_classification: s.maxClassification,
    })),
    ...inv.datasets.map((d) => ({
      section: 'datasets',
      agency: d.agency,
      classification: d.classification,
      count: d.datasets.length,
      datasets: joined(d.datasets),
    })),
  ];
}

function tenancyRows(inv: Inventory): Row[] {
  return [
    ...inv.tenants.map((t) => ({
      section: 'tenant',
      kind: t.kind,
      tenant: t.tenant,
      home_enclave: t.homeEnclave,
      agreement: t.agreement.id,
      expires: t.agreement.expires,
      gpu_nominal: t.gpuQuota.nominal,
      gpu_borrowing: t.gpuQuota.borrowing,
      gpu_pools: t.gpuQuota.pools,
      grants_active: t.grants.active,
      grants_expired: t.grants.expired,
    })),
    ...inv.grants.map((g) => ({
      section: 'grant',
      tenant: g.tenant,
      dataset: g.dataset,
      access: g.access,
      expires: g.expires,
      status: g.status,
    })),
  ];
}

function partnerRows(inv: Inventory): Row[] {
  return inv.partners.map((p) => ({
    section: 'partner',
    site: p.site,
    clusters: joined(p.clusters.map((c) => c.cluster)),
    ...range('gpus', p.gpus),
    partner: p.partner,
    agreement: p.agreement.id,
    expires: p.agreement.expires,
    allows: p.agreement.allows,
    ceiling: p.ceiling,
    us_persons_attested: p.usPersons.attested,
    us_persons_date: p.usPersons.date,
    serves: joined(p.serves),
    federations: joined(p.federations),
  }));
}

function federationRows(inv: Inventory): Row[] {
  return inv.federations.flatMap((f) => [
    { section: 'federation', federation: f.federation, manager: f.manager, workers: joined(f.workers) },
    ...f.queues.flatMap((q) => [
      {
        section: 'queue',
        tenant: q.tenant,
        federation: f.federation,
        manager: f.manager,
        workers: joined(q.workers),
        requires: q.requires,
      },
      ...q.excluded.map((e) => ({
        section: 'excluded',
        tenant: q.tenant,
        federation: f.federation,
        worker: e.worker,
        reason: e.reason,
      })),
    ]),
  ]);
}

/** A field quoted when it holds a comma, a quote, CR or LF; quotes doubled (RFC 4180). */
export function csvField(value: Cell): string {
  const s = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function inventoryCsv(inv: Inventory): string {
  const rows = [
    ...capacityRows(inv),
    ...dataRows(inv),
    ...tenancyRows(inv),
    ...partnerRows(inv),
    ...federationRows(inv),
  ];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const line = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;
  return line(columns) + rows.map((r) => line(columns.map((c) => r[c]))).join('');
}

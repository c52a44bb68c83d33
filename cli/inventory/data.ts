/** Compute of the inventory: storage, datasets, tenants and grants. */
import {
  classificationRank,
  formatBytes,
  quantityToBytes,
  type Grant,
  type Platform,
  type StorageKind,
  type Tenant,
} from '../../infra/model';
import { sortBy } from './order';
import type { DatasetGroup, GrantRow, StorageRow, TenantRow } from './types';

/** The managed service an AWS site realises a tier of each kind with. */
const AWS_BACKEND: Readonly<Record<StorageKind, string>> = {
  'parallel-fs': 'fsx-lustre',
  file: 'efs',
  object: 's3',
  archive: 's3',
};

export function storageRows(platform: Platform): StorageRow[] {
  const kindOf = new Map(platform.sites.map((s) => [s.id, s.kind]));
  const rows = platform.storageTiers.flatMap((tier) =>
    tier.sites.map((r): StorageRow => ({
      tier: tier.id,
      site: r.site,
      kind: tier.kind,
      capacity: formatBytes(quantityToBytes(r.capacity)),
      backend: r.backend ?? (kindOf.get(r.site) === 'aws' ? AWS_BACKEND[tier.kind] : 'unspecified'),
      maxClassification: tier.maxClassification,
    })),
  );
  return sortBy(
    rows,
    (r) => r.tier,
    (r) => r.site,
  );
}

export function datasetGroups(platform: Platform): DatasetGroup[] {
  const groups = new Map<string, DatasetGroup & { datasets: string[] }>();
  for (const d of platform.datasets) {
    const key = `${d.agency}\u0000${d.classification}`;
    const g = groups.get(key) ?? { agency: d.agency, classification: d.classification, datasets: [] };
    g.datasets.push(d.id);
    groups.set(key, g);
  }
  return sortBy(
    [...groups.values()].map((g) => ({ ...g, datasets: [...g.datasets].sort() })),
    (g) => g.agency,
    (g) => classificationRank(g.classification),
  );
}

export function grantRows(platform: Platform, expired: readonly Grant[]): GrantRow[] {
  const row = (g: Grant, status: GrantRow['status']): GrantRow => ({
    tenant: g.tenant,
    dataset: g.dataset,
    access: g.access,
    expires: g.expires,
    status,
  });
  return sortBy(
    [...platform.grants.map((g) => row(g, 'active')), ...expired.map((g) => row(g, 'expired'))],
    (r) => r.tenant,
    (r) => r.dataset,
    (r) => r.expires,
    (r) => r.access,
  );
}

function gpuQuota(t: Tenant): TenantRow['gpuQuota'] {
  const quotas = Object.values(t.quotas.gpu).flatMap((pools) => Object.values(pools));
  return {
    nominal: quotas.reduce((a, q) => a + q.nominal, 0),
    borrowing: quotas.reduce((a, q) => a + q.borrowing, 0),
    pools: quotas.length,
  };
}

export function tenantRows(platform: Platform, grants: readonly GrantRow[]): TenantRow[] {
  const rows = platform.tenants.map((t): TenantRow => ({
    tenant: t.id,
    kind: t.kind,
    homeEnclave: t.homeEnclave,
    agreement: { id: t.agreement.id, expires: t.agreement.expires },
    gpuQuota: gpuQuota(t),
    grants: {
      active: grants.filter((g) => g.tenant === t.id && g.status === 'active').length,
      expired: grants.filter((g) => g.tenant === t.id && g.status === 'expired').length,
    },
  }));
  return sortBy(rows, (r) => r.tenant);
}

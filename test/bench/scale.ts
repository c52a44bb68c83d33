/**
 * A synthetic platform with many tenants, derived from the embedded default: the default's
 * clusters grow so that every added tenant gets one MIG slice, one read grant and a little object
 * storage. Used by the benchmark and by scaling tests.
 */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_SPEC } from '../../infra/model';

export function scaledSpec(extraTenants: number): Record<string, any> {
  const spec = parse(fs.readFileSync(DEFAULT_SPEC, 'utf8'));
  const cluster = spec.clusters.find((c: { id: string }) => c.id === 'gw-gpu');
  const pool = cluster.nodePools.find((p: { name: string }) => p.name === 'h100-mig');
  const slicesPerNode = 56;
  const needed = 42 + extraTenants; // the default tenants hold 42 slices of this pool
  pool.nodes = { min: Math.ceil(needed / slicesPerNode), max: Math.ceil(needed / slicesPerNode) + 4 };
  for (let i = 0; i < extraTenants; i++) {
    const id = `bench-t${String(i).padStart(5, '0')}`;
    spec.tenants.push({
      id,
      kind: i % 3 === 0 ? 'academic' : 'industry',
      organisation: `Benchmark Partner ${i}`,
      usPerson: { attested: true, date: '2026-01-01' },
      agreement: { id: `BENCH-${i}`, expires: '2028-12-31' },
      homeEnclave: 'gw-cui',
      quotas: {
        gpu: { 'gw-gpu': { 'h100-mig': { nominal: 1, borrowing: 1 } } },
        storage: { objects: '1Ti' },
      },
      contacts: [{ name: `Partner ${i}`, email: `ops${i}@partner.example.com`, role: 'technical' }],
    });
    spec.grants.push({
      tenant: id,
      dataset: i % 2 ? 'noaa-reanalysis' : 'nih-genomics',
      access: 'read',
      purpose: 'Benchmark workload',
      expires: '2028-06-30',
    });
  }
  return spec;
}

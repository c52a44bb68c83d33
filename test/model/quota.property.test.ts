/** Property test: the GPU capacity cross-check fires exactly when a pool is oversubscribed. */
import fc from 'fast-check';
import { crossCheck, poolCapacity, Platform } from '../../infra/model';
import { defaultSpecData } from '../support/default-spec';

describe('nominal GPU quota cross-check', () => {
  const base = Platform.parse(defaultSpecData());
  const cluster = base.clusters.find((c) => c.id === 'gw-gpu')!;
  const tenants = base.tenants.filter((t) => t.homeEnclave === cluster.enclave);

  it('flags a pool if and only if its nominal quotas add up to more than its units', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.integer({ min: 0, max: 40 }), {
            minLength: cluster.nodePools.length,
            maxLength: cluster.nodePools.length,
          }),
          {
            minLength: tenants.length,
            maxLength: tenants.length,
          },
        ),
        (matrix) => {
          const p = structuredClone(base);
          p.tenants.forEach((t) => {
            const i = tenants.findIndex((x) => x.id === t.id);
            if (i < 0) return;
            t.quotas.gpu = {
              [cluster.id]: Object.fromEntries(
                cluster.nodePools.map((pool, j) => [pool.name, { nominal: matrix[i][j], borrowing: 0 }]),
              ),
            };
          });
          const issues = crossCheck(p, { now: '2026-11-26' }).filter((i) => /the pool has/.test(i.message));
          cluster.nodePools.forEach((pool, j) => {
            const sum = matrix.reduce((s, row) => s + row[j], 0);
            const flagged = issues.some((i) => i.path.includes(pool.name));
            expect(flagged).toBe(sum > poolCapacity(pool).units);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts MIG slices and time-slice replicas as units', () => {
    const byName = Object.fromEntries(cluster.nodePools.map((p) => [p.name, poolCapacity(p)]));
    expect(byName['h100']).toMatchObject({ resource: 'nvidia.com/gpu', unitsPerNode: 8, units: 32 });
    expect(byName['h100-mig']).toMatchObject({
      resource: 'nvidia.com/gpu',
      unitsPerNode: 56,
      guaranteedNodes: 1,
      units: 56,
    });
    expect(byName['l40s']).toMatchObject({ unitsPerNode: 32, guaranteedNodes: 2, units: 64 });
    const mixed = base.clusters.find((c) => c.id === 'le-gpu')!.nodePools.find((p) => p.name === 'a100-mig')!;
    expect(poolCapacity(mixed)).toMatchObject({
      resource: 'nvidia.com/mig-3g.40gb',
      unitsPerNode: 16,
      units: 64,
    });
  });
});

/**
 * Property-based: for any GPU quotas the model accepts, the generated Kueue and namespace quotas
 * carry exactly the model's numbers, never promise more than a pool has, and the ResourceQuota,
 * LimitRange and ClusterQueue agree.
 */
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { poolCapacity } from '../../infra/model';
import { clusterCharts } from '../../constructs/k8s';
import { tenantNamespace } from '../../infra/contract/names';
import { defaultPlatform, quantity, type K8sObject } from './support';
import { defaultSpecInput, variant } from './variants';

interface Draw {
  readonly weights: number[];
  readonly borrowing: number[];
  readonly lendingFrac: Array<number | null>;
}

const base = defaultSpecInput();
const validated = defaultPlatform();
const eligible = (clusterId: string): string[] => {
  const enclave = base.clusters.find((c: any) => c.id === clusterId).enclave;
  return base.tenants.filter((t: any) => t.homeEnclave === enclave).map((t: any) => t.id);
};
const slots: Array<{ cluster: string; pool: string; tenants: string[] }> = base.clusters.flatMap((c: any) =>
  c.nodePools.map((p: any) => ({ cluster: c.id, pool: p.name, tenants: eligible(c.id) })),
);

const drawArb = fc.tuple(
  ...slots.map((s) =>
    fc.record({
      weights: fc.array(fc.nat({ max: 100 }), { minLength: s.tenants.length, maxLength: s.tenants.length }),
      borrowing: fc.array(fc.nat({ max: 200 }), { minLength: s.tenants.length, maxLength: s.tenants.length }),
      lendingFrac: fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true })), {
        minLength: s.tenants.length,
        maxLength: s.tenants.length,
      }),
    }),
  ),
);

test('random valid GPU quotas never exceed capacity in the output and match the model exactly', () => {
  fc.assert(
    fc.property(drawArb, (draws: Draw[]) => {
      const platform = variant((spec) => {
        for (const t of spec.tenants) {
          t.quotas.gpu = {};
          delete t.federations;
        }
        // Quotas are drawn in each tenant's home enclave; a federation needs its tenants to hold
        // quota on its manager and a worker, which a draw may not give (federation.test.ts covers it).
        spec.federations = [];
        slots.forEach((slot, i) => {
          const { units } = poolCapacity(
            validated.clusters
              .find((c) => c.id === slot.cluster)!
              .nodePools.find((p) => p.name === slot.pool)!,
          );
          const total = draws[i].weights.reduce((a, b) => a + b, 0);
          slot.tenants.forEach((tenantId, j) => {
            const w = draws[i].weights[j];
            if (w === 0) return;
            const nominal = Math.floor((w * units) / Math.max(total, 100));
            const lf = draws[i].lendingFrac[j];
            const tenant = spec.tenants.find((t: any) => t.id === tenantId);
            tenant.quotas.gpu[slot.cluster] ??= {};
            tenant.quotas.gpu[slot.cluster][slot.pool] = {
              nominal,
              borrowing: draws[i].borrowing[j],
              ...(lf === null ? {} : { lending: Math.floor(lf * nominal) }),
            };
          });
        });
      });
      for (const cluster of platform.clusters) {
        const { files } = clusterCharts(new App(), platform, cluster.id);
        const objects = files.flatMap((f) => f.chart.toJson() as K8sObject[]);
        const queues = objects.filter((o) => o.kind === 'ClusterQueue');
        for (const pool of cluster.nodePools) {
          const cap = poolCapacity(pool);
          let sum = 0;
          for (const t of platform.tenants) {
            const q = t.quotas.gpu[cluster.id]?.[pool.name];
            const cq = queues.find((x) => x.metadata.name === tenantNamespace(t.id));
            const flavor = (cq?.spec as any)?.resourceGroups[0].flavors.find(
              (f: any) => f.name === pool.name,
            );
            if (!q) {
              expect(flavor).toBeUndefined();
              continue;
            }
            const gpu = flavor.resources.find((r: any) => r.name === cap.resource);
            expect(gpu.nominalQuota).toBe(q.nominal);
            expect(gpu.borrowingLimit).toBe(q.borrowing);
            expect(gpu.lendingLimit).toBe(q.lending);
            sum += gpu.nominalQuota;
          }
          expect(sum).toBeLessThanOrEqual(cap.units);
        }
        for (const cq of queues) {
          const ns = cq.metadata.name;
          const rq = objects.find(
            (o) =>
              o.kind === 'ResourceQuota' &&
              o.metadata.namespace === ns &&
              o.metadata.name === 'genesis-compute-storage',
          )!;
          const lr = objects.find((o) => o.kind === 'LimitRange' && o.metadata.namespace === ns)!;
          const group = (cq.spec as any).resourceGroups[0];
          const hard = (rq.spec as any).hard;
          expect(
            Object.keys(hard)
              .filter((k) => k.startsWith('requests.') && !k.includes('storageclass'))
              .sort(),
          ).toEqual(group.coveredResources.map((r: string) => `requests.${r}`).sort());
          for (const [r, v] of Object.entries((lr.spec as any).limits[0].defaultRequest)) {
            expect(group.coveredResources).toContain(r);
            expect(quantity(v)).toBeLessThanOrEqual(quantity(hard[`requests.${r}`]));
          }
        }
      }
    }),
    { numRuns: 30 },
  );
});

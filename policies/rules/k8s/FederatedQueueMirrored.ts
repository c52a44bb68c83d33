import { admissionCheckNames, admittedTenants, federatedQueues } from '../../analysis/federation/graph';
import { clusterOf, k8sDocs, refOf, specOf } from '../../engine/k8s';
import { queueQuotas } from '../../engine/kueue';
import { memo } from '../../engine/memo';
import { defineRule } from '../../engine/rule-kit';
import type { K8sDocument, RuleContext } from '../../engine/types';
import { exFederation } from '../../examples/federation';

interface Index {
  readonly byName: ReadonlyMap<string, K8sDocument>;
  /** `<cluster>|<clusterQueue>` -> the LocalQueues feeding it. */
  readonly feeding: ReadonlyMap<string, readonly K8sDocument[]>;
}

const nameKey = (kind: string, cluster: string, name: unknown, ns?: unknown) =>
  JSON.stringify([kind, cluster, name, ns ?? null]);

/** One pass over the documents: every lookup below is then a map read (linear in tenants). */
function indexOf(ctx: RuleContext): Index {
  return memo(ctx.artifacts, 'federation:mirror-index', () => {
    const byName = new Map<string, K8sDocument>();
    const feeding = new Map<string, K8sDocument[]>();
    for (const d of k8sDocs(ctx, ['ClusterQueue', 'LocalQueue'])) {
      const c = clusterOf(d);
      byName.set(nameKey(d.object.kind, c, d.object.metadata.name, d.object.metadata.namespace), d);
      if (d.object.kind === 'LocalQueue') {
        const k = `${c}|${String(specOf(d.object).clusterQueue)}`;
        feeding
          .set(k, feeding.get(k) ?? [])
          .get(k)!
          .push(d);
      }
    }
    return { byName, feeding };
  });
}

const named = (ctx: RuleContext, kind: string, cluster: string, name: string, ns?: string) =>
  indexOf(ctx).byName.get(nameKey(kind, cluster, name, ns));

/** What is wrong with one worker's mirror of a manager queue; empty when it mirrors. */
function mirrorProblems(
  ctx: RuleContext,
  managerQueue: K8sDocument,
  tenants: readonly string[],
  worker: string,
): string[] {
  const name = String(managerQueue.object.metadata.name);
  const q = named(ctx, 'ClusterQueue', worker, name);
  if (!q) return [`no ClusterQueue ${name}`];
  const out: string[] = [];
  const there = new Set(admittedTenants(ctx, q));
  for (const t of tenants)
    if (!there.has(t)) out.push(`ClusterQueue ${name} does not admit tenant ${t}'s namespace`);
  for (const t of [...there].sort())
    if (!tenants.includes(t)) out.push(`ClusterQueue ${name} also admits tenant ${t}'s namespace`);
  if (!queueQuotas(q).some((x) => x.nominal > 0)) out.push(`ClusterQueue ${name} has no nominal quota`);
  if (admissionCheckNames(q).length) out.push(`ClusterQueue ${name} requires admission checks of its own`);
  for (const lq of indexOf(ctx).feeding.get(`${clusterOf(managerQueue)}|${name}`) ?? []) {
    const ns = lq.object.metadata.namespace;
    const mirror = named(ctx, 'LocalQueue', worker, String(lq.object.metadata.name), ns);
    if (!mirror || specOf(mirror.object).clusterQueue !== name)
      out.push(`no LocalQueue ${String(ns)}/${String(lq.object.metadata.name)} of ClusterQueue ${name}`);
  }
  return out;
}

export default defineRule({
  id: 'GEN-K8S-FED-002',
  title: 'Every worker a federated queue lists mirrors it: the same queues, for the same tenants',
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['CM-6', 'SC-6', 'AC-4'],
  rationale:
    "MultiKueue creates the workload on a worker in the same namespace and LocalQueue, and the worker admits it through the ClusterQueue of that name. A missing mirror leaves work pending; a worker queue of that name that admits another tenant's namespace, or dispatches again, would spend another tenant's quota or send the work further than reviewed.",
  remediation:
    "On each worker, keep the tenant's ClusterQueue and LocalQueue under the manager's names, admitting that tenant's namespace only, with quota and without admission checks of its own.",
  *check(ctx) {
    for (const q of federatedQueues(ctx))
      for (const c of q.checks)
        for (const d of c.dispatches) {
          if (!d.workerKey) continue; // GEN-K8S-FED-001 reports what cannot be followed.
          for (const problem of mirrorProblems(ctx, q.queue, q.tenants, d.workerKey))
            yield { resource: refOf(q.queue), status: 'fail', message: `worker ${d.worker}: ${problem}` };
        }
  },
  examples: [
    {
      name: 'a worker with the same queues for the same tenant',
      artifacts: exFederation({ workers: { w1: 'cui' } }),
      expect: { fires: false },
    },
    {
      name: 'a worker without the LocalQueue',
      artifacts: (() => {
        const a = exFederation({ workers: { w1: 'cui' } });
        const file = a.k8s!['site-w/w1/cluster.yaml'];
        return {
          ...a,
          k8s: { ...a.k8s, 'site-w/w1/cluster.yaml': file.filter((o) => o.kind !== 'LocalQueue') },
        };
      })(),
      expect: { fires: true, message: /worker w1: no LocalQueue tenant-a\/default of ClusterQueue tenant-a/ },
    },
    {
      name: "a worker queue of that name that admits every namespace, another tenant's too",
      artifacts: (() => {
        const a = exFederation({ workers: { w1: 'cui' } });
        const file = a.k8s!['site-w/w1/cluster.yaml'].map((o) =>
          o.kind === 'ClusterQueue' ? { ...o, spec: { ...(o.spec as object), namespaceSelector: {} } } : o,
        );
        const other = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-b' } };
        return { ...a, k8s: { ...a.k8s, 'site-w/w1/cluster.yaml': [...file, other] } };
      })(),
      expect: { fires: true, message: /worker w1: ClusterQueue tenant-a also admits tenant b's namespace/ },
    },
  ],
});

import { ANNOTATION, LABEL } from '../../../infra/contract';
import { accessMatrix } from '../../analysis/access/matrix';
import { rows } from '../../analysis/access/present';
import { federatedQueues, workerCeiling } from '../../analysis/federation/graph';
import { rank, readFederationIntent, type FederationIntent } from '../../analysis/federation/intent';
import { annotations, k8sDocs, labels, refOf } from '../../engine/k8s';
import { memo } from '../../engine/memo';
import { defineRule } from '../../engine/rule-kit';
import type { RuleContext } from '../../engine/types';
import { exFederation } from '../../examples/federation';

/** The datasets each tenant reaches in effect (the access matrix), by tenant. */
function effectiveData(ctx: RuleContext): Map<string, Set<string>> {
  const now = Date.parse(`${ctx.now ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  return memo(ctx.artifacts, `federation:effective-data:${now}`, () => {
    const out = new Map<string, Set<string>>();
    for (const r of rows(accessMatrix({ artifacts: ctx.artifacts }, now))) {
      if (r.data.startsWith('storage:')) continue;
      const s = out.get(r.tenant) ?? new Set<string>();
      s.add(r.data);
      out.set(r.tenant, s);
    }
    return out;
  });
}

/** What the volumes say of the data they mount: by dataset id and by volume name, from their labels. */
function volumeLabels(ctx: RuleContext): {
  byDataset: Map<string, string[]>;
  byVolume: Map<string, { dataset?: string; classification?: string }>;
} {
  return memo(ctx.artifacts, 'federation:volume-labels', () => {
    const byDataset = new Map<string, string[]>();
    const byVolume = new Map<string, { dataset?: string; classification?: string }>();
    for (const d of k8sDocs(ctx, 'PersistentVolume')) {
      const l = labels(d.object);
      const dataset = l[LABEL.dataset];
      const classification = l[LABEL.classification];
      byVolume.set(String(d.object.metadata.name), { dataset, classification });
      if (dataset && classification)
        byDataset
          .set(dataset, byDataset.get(dataset) ?? [])
          .get(dataset)!
          .push(classification);
    }
    return { byDataset, byVolume };
  });
}

/**
 * The classification one datum needs: the highest of what the intent declares for its dataset and
 * what its volumes' labels say; export-controlled when nothing says (an unknown datum could be
 * anything).
 */
function classificationOf(ctx: RuleContext, datum: string, intent: FederationIntent | undefined): string {
  const { byDataset, byVolume } = volumeLabels(ctx);
  const volume = /^\(volume (.+)\)$/.exec(datum)?.[1];
  const v = volume ? byVolume.get(volume) : undefined;
  const dataset = v?.dataset ?? (volume ? undefined : datum);
  const known = [
    dataset ? intent?.datasetClassification.get(dataset) : undefined,
    ...(dataset ? (byDataset.get(dataset) ?? []) : []),
    v?.classification,
  ].filter((c): c is string => c !== undefined && rank(c) >= 0);
  return known.length ? known.sort((a, b) => rank(b) - rank(a))[0] : 'export-controlled';
}

/**
 * The classification a tenant's work needs, and the datum that needs it: the highest over the
 * datasets it holds grants on (intent) and the data it reaches in effect (the access matrix).
 */
function required(
  ctx: RuleContext,
  tenant: string,
  intent: FederationIntent | undefined,
): { class: string; why: string } {
  let best = { class: 'public', why: 'no dataset' };
  const data = new Set([...(intent?.grants.get(tenant) ?? []), ...(effectiveData(ctx).get(tenant) ?? [])]);
  for (const d of [...data].sort()) {
    const c = classificationOf(ctx, d, intent);
    if (rank(c) > rank(best.class)) best = { class: c, why: d.startsWith('(') ? d : `dataset ${d}` };
  }
  return best;
}

export default defineRule({
  id: 'GEN-K8S-FED-001',
  title: "A federated queue dispatches only to workers that may hold all its tenants' data",
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-4', 'SC-7', 'AC-21'],
  rationale:
    'MultiKueue runs an admitted workload on any cluster its MultiKueueConfig lists. A worker below the classification of a dataset the tenant holds a grant on (or reaches in effect) would receive work built to process that data; a partner site that does not serve the tenant would receive work its agreement does not cover.',
  remediation:
    "List in the tenant's MultiKueueConfig only workers whose enclave classification covers the tenant's highest data classification and whose partner site serves the tenant (genesis derives this from the federation in the spec).",
  *check(ctx) {
    const intent = readFederationIntent(ctx.artifacts);
    for (const q of federatedQueues(ctx)) {
      const needs = q.tenants.map((t) => ({ tenant: t, ...required(ctx, t, intent) }));
      for (const c of q.checks) {
        if (c.problem) {
          yield { resource: refOf(c.check), status: 'fail', message: c.problem };
          continue;
        }
        const declared = c.config ? annotations(c.config.object)[ANNOTATION.requires] : undefined;
        for (const d of c.dispatches) {
          const at = refOf(d.doc ?? c.config ?? c.check);
          if (d.problem || !d.workerKey || !d.worker) {
            yield {
              resource: at,
              status: 'fail',
              message: d.problem ?? `cannot tell where "${d.name}" dispatches`,
            };
            continue;
          }
          const ceiling = workerCeiling(ctx, d.workerKey, intent);
          if (ceiling === undefined || rank(ceiling) < 0) {
            yield {
              resource: at,
              status: 'fail',
              message: `worker ${d.worker} carries no known classification (${ceiling ?? 'none'})`,
            };
            continue;
          }
          const all = declared
            ? [...needs, { tenant: '-', class: declared, why: `its ${ANNOTATION.requires}` }]
            : needs;
          for (const n of all)
            if (rank(n.class) > rank(ceiling))
              yield {
                resource: at,
                status: 'fail',
                message: `queue ${String(q.queue.object.metadata.name)} dispatches ${n.tenant === '-' ? 'work marked' : `tenant ${n.tenant}'s work (${n.why})`} ${n.class} to worker ${d.worker}, which may hold ${ceiling} only`,
              };
          const fed = d.doc ? labels(d.doc.object)[LABEL.federation] : undefined;
          const listed = intent?.federations.find((f) => f.id === fed);
          for (const t of q.tenants)
            if (intent && (!listed || !listed.tenants.includes(t) || !listed.workers.includes(d.worker)))
              yield {
                resource: at,
                status: 'fail',
                message: `queue ${String(q.queue.object.metadata.name)} dispatches tenant ${t}'s work to worker ${d.worker}, which no federation the tenant opts into lists (platform.json)`,
              };
          const partner = intent?.partnerOf.get(d.worker);
          for (const t of q.tenants)
            if (partner && !partner.serves.has(t))
              yield {
                resource: at,
                status: 'fail',
                message: `queue ${String(q.queue.object.metadata.name)} dispatches tenant ${t}'s work to worker ${d.worker} on partner site ${partner.site}, which does not serve it`,
              };
        }
      }
    }
  },
  examples: [
    {
      name: 'a tenant with CUI data dispatched to a CUI worker',
      artifacts: exFederation({ workers: { w1: 'cui' } }),
      expect: { fires: false },
    },
    {
      name: 'a tenant with CUI data dispatched to a public worker',
      artifacts: exFederation({ workers: { w1: 'cui', w2: 'public' } }),
      expect: {
        fires: true,
        message: /tenant a's work \(dataset d1\) cui to worker w2, which may hold public only/,
      },
    },
    {
      name: 'a worker whose manifests claim CUI while its declared enclave is public',
      artifacts: (() => {
        const a = exFederation({ workers: { w1: 'cui' } });
        const intent = a.intent as { enclaves: Array<{ id: string; classification: string }> };
        intent.enclaves.find((e) => e.id === 'e-w1')!.classification = 'public';
        return a;
      })(),
      expect: { fires: true, message: /to worker w1, which may hold public only/ },
    },
    {
      name: 'a public-only tenant dispatched to a public worker',
      artifacts: exFederation({ workers: { w2: 'public' }, grants: { d0: 'public' } }),
      expect: { fires: false },
    },
    {
      name: 'a partner worker that does not serve the tenant',
      artifacts: exFederation({ workers: { w1: 'cui' }, partner: { w1: ['someone-else'] } }),
      expect: { fires: true, message: /on partner site site-w1, which does not serve it/ },
    },
    {
      name: 'a tenant that never opted into the federation dispatched through it',
      artifacts: (() => {
        const a = exFederation({ workers: { w1: 'cui' } });
        (a.intent as { tenants: Array<{ federations: string[] }> }).tenants[0].federations = [];
        return a;
      })(),
      expect: { fires: true, message: /which no federation the tenant opts into lists/ },
    },
    {
      name: 'a MultiKueueCluster whose worker has no manifests in the output',
      artifacts: exFederation({ workers: { w1: 'cui' }, lists: ['w1', 'w9'] }),
      expect: { fires: true, message: /MultiKueueCluster "f-w9" does not exist on the manager/ },
    },
  ],
});

/**
 * Openings between the tenants of one cluster without evaluating every pair. A verdict for pods of
 * namespace A towards pods of namespace B reads B only through which of A's rule peers select B's
 * namespace (k8s-peers: a tenant's pods are known by namespace, and share the cluster's pod
 * addresses). So the namespaces none of A's egress peers name or select all get A's "default"
 * egress verdict, and likewise for B's ingress. A pair is evaluated, exactly as before, only when
 * one side's peers single the other out, or when A's default egress passes something that B's
 * default ingress admits; every other pair is closed. The work follows the peers and the
 * openings, not tenants x tenants.
 */
import { forSubject, evaluate, type EvalContext, type Verdict } from './k8s-eval';
import { nsMatches, type Endpoint, type NsSel } from './k8s-peers';
import type { Dir } from './k8s-policies';
import { describe, PROBES, type Service } from './ports';
import type { Opening } from './types';

/** The first probe that egress lets through and ingress admits, with both witnesses. */
export function pairOpening(
  ev: EvalContext,
  from: Endpoint,
  to: Endpoint,
  fromLabel: string,
  toLabel: string,
  probes: readonly Service[],
  egressOnly: boolean,
): Opening | undefined {
  for (const probe of probes) {
    const e = evaluate(ev, 'egress', from, to, probe);
    if (!e.allowed) continue;
    const i =
      egressOnly || to.kind !== 'pod'
        ? { allowed: true, witness: [], svc: e.svc }
        : evaluate(ev, 'ingress', to, from, e.svc ?? probe);
    if (!i.allowed) continue;
    const witness = [
      ...e.witness.map((w) => ({ ...w, text: `egress: ${w.text}` })),
      ...i.witness.map((w) => ({ ...w, text: `ingress: ${w.text}` })),
    ];
    const culprit = i.witness.find((w) => w.ref)?.ref ?? e.witness.find((w) => w.ref)?.ref;
    return {
      from: fromLabel,
      to: toLabel,
      what: describe(i.svc ?? e.svc ?? probe),
      witness,
      status: 'open',
      culprit,
    };
  }
  return undefined;
}

export interface TenantPod {
  readonly tenant: string;
  readonly ns: string;
  /** The tenant's pods: every tenant of the cluster shares one `ips` set and has no pod labels. */
  readonly pod: Endpoint & { kind: 'pod' };
}

const svcKey = (s: Service): string => `${s.proto}/${s.lo}/${s.hi}`;

/** An injective key of a selector (types kept apart: 1 and '1', NaN and null, absent and null). */
const selectorKey = (sel: unknown): string =>
  JSON.stringify({ sel }, (_k, v: unknown) =>
    typeof v === 'string'
      ? `s${v}`
      : typeof v === 'number'
        ? `n${v}`
        : v === undefined
          ? 'u'
          : typeof v === 'object' || typeof v === 'boolean'
            ? v
            : `x${String(v)}`,
  );

/** Tenants (by index) whose namespace a name or selector admits, computed once per distinct selector. */
class Selected {
  private readonly byName = new Map<string, number[]>();
  private readonly bySelector = new Map<string, number[]>();

  constructor(private readonly tenants: readonly TenantPod[]) {
    tenants.forEach((t, i) => {
      const list = this.byName.get(t.pod.ns.name);
      if (list) list.push(i);
      else this.byName.set(t.pod.ns.name, [i]);
    });
  }

  /** The tenants admitted; undefined for every tenant (`all`). */
  of(s: NsSel): readonly number[] | undefined {
    if (s.kind === 'all') return undefined;
    if (s.kind === 'name') return this.byName.get(s.name) ?? [];
    const key = selectorKey(s.sel);
    let hit = this.bySelector.get(key);
    if (!hit) {
      hit = [];
      for (let i = 0; i < this.tenants.length; i++) if (nsMatches(s, this.tenants[i].pod.ns)) hit.push(i);
      this.bySelector.set(key, hit);
    }
    return hit;
  }
}

/**
 * The tenants that the peers of `subject`'s rules of a direction single out: selected by some
 * peer that does not select every tenant. The others all meet the same verdicts.
 */
function singledOut(ev: EvalContext, subject: Endpoint, dir: Dir, sel: Selected, n: number): Set<number> {
  const out = new Set<number>();
  const seen = new Set<NsSel>();
  for (const r of forSubject(ev, subject).rules) {
    if (r.dir !== dir) continue;
    for (const p of r.peers ?? []) {
      if (p.kind !== 'pods' || seen.has(p.ns)) continue;
      seen.add(p.ns);
      const m = sel.of(p.ns);
      if (m && m.length < n) for (const i of m) out.add(i);
    }
  }
  return out;
}

const firstOutside = (n: number, out: ReadonlySet<number>): number | undefined => {
  for (let i = 0; i < n; i++) if (!out.has(i)) return i;
  return undefined;
};

/** Openings between every two tenants of a cluster, by source tenant, each in the tenants' order. */
export function tenantOpenings(ev: EvalContext, tenants: readonly TenantPod[]): Opening[][] {
  const n = tenants.length;
  const sel = new Selected(tenants);
  const egressOut = tenants.map((t) => singledOut(ev, t.pod, 'egress', sel, n));
  const ingressOut = tenants.map((t) => singledOut(ev, t.pod, 'ingress', sel, n));
  // the sources each destination's ingress peers single out, by source
  const singledBy: number[][] = tenants.map(() => []);
  ingressOut.forEach((out, b) => out.forEach((a) => singledBy[a].push(b)));
  // default ingress of each tenant (from a source none of its peers single out), by service
  const ingressReps = ingressOut.map((out) => firstOutside(n, out));
  const admits = new Map<string, number[]>();
  const admitting = (svc: Service): readonly number[] => {
    let hit = admits.get(svcKey(svc));
    if (!hit) {
      hit = [];
      for (let b = 0; b < n; b++) {
        const rep = ingressReps[b];
        if (rep !== undefined && evaluate(ev, 'ingress', tenants[b].pod, tenants[rep].pod, svc).allowed)
          hit.push(b);
      }
      admits.set(svcKey(svc), hit);
    }
    return hit;
  };
  return tenants.map((a, ai) => {
    const exact = new Set<number>([...egressOut[ai], ...singledBy[ai]]);
    const rep = firstOutside(n, egressOut[ai]);
    if (rep !== undefined)
      for (const probe of PROBES) {
        const e: Verdict = evaluate(ev, 'egress', a.pod, tenants[rep].pod, probe);
        if (e.allowed) for (const b of admitting(e.svc ?? probe)) exact.add(b);
      }
    const out: Opening[] = [];
    for (const bi of [...exact].sort((x, y) => x - y)) {
      const b = tenants[bi];
      if (bi === ai || a.tenant === b.tenant) continue;
      const o = pairOpening(ev, a.pod, b.pod, a.ns, b.ns, PROBES, false);
      if (o) out.push(o);
    }
    return out;
  });
}

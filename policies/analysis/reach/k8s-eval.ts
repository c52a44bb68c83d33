/**
 * Whether one direction of a flow is let through, in the precedence the enforcing implementation
 * uses:
 * - ClusterNetworkPolicy clusters (EKS, Calico, kube-network-policies): Admin tier by priority
 *   (Accept allows, Deny drops, Pass hands over), then NetworkPolicy (a pod selected by a policy
 *   of the direction is isolated and only the policies' rules admit), then Baseline tier, then
 *   allow;
 * - Cilium clusters: a deny rule of any Cilium policy wins; otherwise any allow of a
 *   NetworkPolicy or Cilium policy admits; otherwise an isolated endpoint drops, others allow.
 * Allows count when they may match, denies and isolation only when they must (see k8s-peers).
 */
import type { K8sDocument } from '../../engine/types';
import { CidrSet } from './cidr';
import { nsMatches, peerMatches, podSelMatches, portsMatch, type Endpoint } from './k8s-peers';
import type { ClusterPolicies, Dir, Isolation, PolicyRule, Subject } from './k8s-policies';
import type { Service } from './ports';
import type { WitnessStep } from './types';

export interface Verdict {
  readonly allowed: boolean;
  /** The packets let through (narrowed to the ports of the rule that admits them). */
  readonly svc?: Service;
  readonly witness: readonly WitnessStep[];
}

const subjectMatches = (s: Subject, ep: Endpoint, must: boolean): boolean =>
  ep.kind === 'pod' && nsMatches(s.ns, ep.ns) && podSelMatches(s.pod, ep, must);

function ruleMatches(
  r: PolicyRule,
  subject: Endpoint,
  peer: Endpoint,
  svc: Service,
  must: boolean,
): Service | undefined {
  if (!subjectMatches(r.subject, subject, must)) return undefined;
  if (
    r.peers !== undefined &&
    !r.peers.some((p) => peerMatches(p, peer, must)) &&
    !(must && cidrsCover(r, peer))
  )
    return undefined;
  return portsMatch(r.ports, svc, must);
}

/** Whether the CIDR peers of a rule, together, hold every address of an address endpoint. */
function cidrsCover(r: PolicyRule, peer: Endpoint): boolean {
  if (peer.kind !== 'ip') return false;
  const all = (r.peers ?? []).reduce((acc, p) => (p.kind === 'cidr' ? acc.union(p.set) : acc), CidrSet.EMPTY);
  return all.covers(peer.set);
}

const step = (r: PolicyRule | Isolation, text: string): WitnessStep => ({
  text: `${r.label}: ${text}`,
  ref: { target: 'k8s', doc: r.doc },
});

interface BySubject {
  /** Namespace -> its rules and isolations, in the cluster's order. */
  readonly byNs: Map<string, ClusterPolicies>;
  /** Indices of the rules (isolations) whose subject names one namespace, by that namespace. */
  readonly named: { rules: Map<string, number[]>; isolations: Map<string, number[]> };
  /** Indices of the others (every namespace, or a namespace selector). */
  readonly other: { rules: number[]; isolations: number[] };
}

const index = new WeakMap<ClusterPolicies, BySubject>();

function bySubject(policies: ClusterPolicies): BySubject {
  let ix = index.get(policies);
  if (ix) return ix;
  ix = {
    byNs: new Map(),
    named: { rules: new Map(), isolations: new Map() },
    other: { rules: [], isolations: [] },
  };
  for (const part of ['rules', 'isolations'] as const)
    policies[part].forEach((r, i) => {
      if (r.subject.ns.kind !== 'name') return void ix.other[part].push(i);
      const list = ix.named[part].get(r.subject.ns.name);
      if (list) list.push(i);
      else ix.named[part].set(r.subject.ns.name, [i]);
    });
  index.set(policies, ix);
  return ix;
}

/**
 * The rules and isolations whose subject may select pods of the subject's namespace, indexed by
 * namespace once per cluster: a pair of tenants costs the policies of its two namespaces (and the
 * cluster-wide ones), not every policy of the cluster; and finding a namespace's costs its own
 * and the cluster-wide ones.
 */
export function forSubject(ctx: EvalContext, subject: Endpoint): ClusterPolicies {
  if (subject.kind !== 'pod') return ctx.policies;
  const ix = bySubject(ctx.policies);
  let hit = ix.byNs.get(subject.ns.name);
  if (!hit) {
    const ns = subject.ns;
    const pick = <T extends { subject: Subject }>(
      all: readonly T[],
      named: number[] | undefined,
      other: number[],
    ) =>
      [...(named ?? []), ...other]
        .sort((a, b) => a - b)
        .map((i) => all[i])
        .filter((r) => nsMatches(r.subject.ns, ns));
    hit = {
      rules: pick(ctx.policies.rules, ix.named.rules.get(ns.name), ix.other.rules),
      isolations: pick(ctx.policies.isolations, ix.named.isolations.get(ns.name), ix.other.isolations),
    };
    ix.byNs.set(ns.name, hit);
  }
  return hit;
}

export interface EvalContext {
  readonly policies: ClusterPolicies;
  readonly cilium: boolean;
  /** The Namespace document of a namespace, for witnesses of traffic no policy isolates. */
  readonly namespaceDoc: (ns: string) => K8sDocument | undefined;
}

function notIsolated(ctx: EvalContext, dir: Dir, subject: Endpoint, svc: Service): Verdict {
  const ns = subject.kind === 'pod' ? subject.ns.name : '';
  const doc = ctx.namespaceDoc(ns);
  return {
    allowed: true,
    svc,
    witness: [
      {
        text: `no policy puts every pod of namespace ${ns} in default deny for ${dir}`,
        ref: doc ? { target: 'k8s', doc } : undefined,
      },
    ],
  };
}

const isolated = (
  ctx: EvalContext,
  dir: Dir,
  subject: Endpoint,
  layers: (i: Isolation) => boolean,
): boolean =>
  forSubject(ctx, subject).isolations.some(
    (i) => i.dir === dir && layers(i) && subjectMatches(i.subject, subject, true),
  );

function tier(
  ctx: EvalContext,
  layer: 'admin' | 'baseline',
  dir: Dir,
  subject: Endpoint,
  peer: Endpoint,
  svc: Service,
): Verdict | 'pass' | undefined {
  for (const r of forSubject(ctx, subject).rules) {
    if (r.layer !== layer || r.dir !== dir) continue;
    if (r.action === 'allow') {
      const s = ruleMatches(r, subject, peer, svc, false);
      if (s) return { allowed: true, svc: s, witness: [step(r, 'accepts')] };
    } else if (ruleMatches(r, subject, peer, svc, true)) {
      return r.action === 'deny' ? { allowed: false, witness: [step(r, 'denies')] } : 'pass';
    }
  }
  return undefined;
}

function anyAllow(
  ctx: EvalContext,
  layers: readonly string[],
  dir: Dir,
  subject: Endpoint,
  peer: Endpoint,
  svc: Service,
): Verdict | undefined {
  for (const r of forSubject(ctx, subject).rules) {
    if (r.action !== 'allow' || r.dir !== dir || !layers.includes(r.layer)) continue;
    const s = ruleMatches(r, subject, peer, svc, false);
    if (s) return { allowed: true, svc: s, witness: [step(r, 'allows')] };
  }
  return undefined;
}

/** The verdict for `subject` sending (egress) to or receiving (ingress) from `peer`. */
export function evaluate(
  ctx: EvalContext,
  dir: Dir,
  subject: Endpoint,
  peer: Endpoint,
  svc: Service,
): Verdict {
  if (ctx.cilium) {
    for (const r of forSubject(ctx, subject).rules)
      if (
        r.layer === 'cilium' &&
        r.action === 'deny' &&
        r.dir === dir &&
        ruleMatches(r, subject, peer, svc, true)
      )
        return { allowed: false, witness: [step(r, 'denies')] };
    const a = anyAllow(ctx, ['np', 'cilium'], dir, subject, peer, svc);
    if (a) return a;
    return isolated(ctx, dir, subject, () => true)
      ? { allowed: false, witness: [] }
      : notIsolated(ctx, dir, subject, svc);
  }
  const admin = tier(ctx, 'admin', dir, subject, peer, svc);
  if (admin && admin !== 'pass') return admin;
  const np = anyAllow(ctx, ['np'], dir, subject, peer, svc);
  if (np) return np;
  if (isolated(ctx, dir, subject, (i) => i.doc.object.kind === 'NetworkPolicy'))
    return { allowed: false, witness: [] };
  const base = tier(ctx, 'baseline', dir, subject, peer, svc);
  if (base && base !== 'pass') return base;
  return notIsolated(ctx, dir, subject, svc);
}

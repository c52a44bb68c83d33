/**
 * Every network policy kind of a cluster in one form: NetworkPolicy, ClusterNetworkPolicy
 * (policy.networking.k8s.io/v1alpha2, and the EKS networking.k8s.aws/v1alpha1 of the same shape:
 * tiers Admin and Baseline, priorities, Accept/Deny/Pass), CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy (endpoint selectors, CIDRs with except, entities, FQDNs, deny
 * rules, enableDefaultDeny).
 */
import { isRec, specOf } from '../../engine/k8s';
import type { K8sDocument } from '../../engine/types';
import { CidrSet } from './cidr';
import { blockSet, npPorts, type NsSel, type Peer, type PortSpec } from './k8s-peers';
import { protoNumber, service } from './ports';

export type Dir = 'ingress' | 'egress';
export type Layer = 'admin' | 'np' | 'baseline' | 'cilium';

export interface Subject {
  readonly ns: NsSel;
  readonly pod?: unknown;
}
export interface PolicyRule {
  readonly doc: K8sDocument;
  readonly layer: Layer;
  readonly dir: Dir;
  readonly action: 'allow' | 'deny' | 'pass';
  /** Evaluation order within a tier: priority, then rule index. */
  readonly order: readonly number[];
  readonly subject: Subject;
  /** Undefined: every peer. */
  readonly peers?: readonly Peer[];
  /** Undefined: every port. */
  readonly ports?: readonly PortSpec[];
  readonly label: string;
}
/** A policy that puts the pods it selects in default deny for a direction. */
export interface Isolation {
  readonly doc: K8sDocument;
  readonly dir: Dir;
  readonly subject: Subject;
  readonly label: string;
}
export interface ClusterPolicies {
  readonly rules: PolicyRule[];
  readonly isolations: Isolation[];
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const name = (d: K8sDocument) =>
  `${d.object.kind} ${d.object.metadata.namespace ? `${d.object.metadata.namespace}/` : ''}${String(d.object.metadata.name)}`;
const allNs: NsSel = { kind: 'all' };

function npPeer(p: Record<string, unknown>, ns: string): Peer | undefined {
  if (isRec(p.ipBlock)) {
    const set = blockSet(p.ipBlock.cidr, p.ipBlock.except);
    return set ? { kind: 'cidr', set } : undefined;
  }
  const nsSel: NsSel =
    p.namespaceSelector === undefined
      ? { kind: 'name', name: ns }
      : { kind: 'selector', sel: p.namespaceSelector };
  return { kind: 'pods', ns: nsSel, pod: p.podSelector };
}

function networkPolicy(d: K8sDocument, out: ClusterPolicies): void {
  const s = specOf(d.object);
  const ns = String(d.object.metadata.namespace ?? 'default');
  const subject: Subject = { ns: { kind: 'name', name: ns }, pod: s.podSelector ?? {} };
  const declared = arr(s.policyTypes).map(String);
  const types: Dir[] = declared.length
    ? (declared.map((t) => t.toLowerCase()).filter((t) => t === 'ingress' || t === 'egress') as Dir[])
    : s.egress !== undefined
      ? ['ingress', 'egress']
      : ['ingress'];
  for (const dir of types) {
    out.isolations.push({ doc: d, dir, subject, label: name(d) });
    arr(s[dir]).forEach((r, i) => {
      if (!isRec(r)) return;
      const raw = r[dir === 'ingress' ? 'from' : 'to'];
      const peers =
        raw === undefined || arr(raw).length === 0
          ? undefined
          : arr(raw).flatMap((p) =>
              isRec(p) ? [npPeer(p, ns)].filter((x): x is Peer => x !== undefined) : [],
            );
      out.rules.push({
        doc: d,
        layer: 'np',
        dir,
        action: 'allow',
        order: [0, i],
        subject,
        peers,
        ports: npPorts(r.ports),
        label: `${name(d)} ${dir}[${i}]`,
      });
    });
  }
}

function cnpProtocols(v: unknown): PortSpec[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: PortSpec[] = [];
  for (const p of v.filter(isRec)) {
    if (typeof p.destinationNamedPort === 'string')
      out.push({ svc: service(-1), named: p.destinationNamedPort });
    for (const proto of ['tcp', 'udp', 'sctp']) {
      const x = p[proto];
      if (!isRec(x)) continue;
      const dp = isRec(x.destinationPort) ? x.destinationPort : undefined;
      const n = protoNumber(proto) ?? 6;
      if (!dp) out.push({ svc: service(n, 0, 65535) });
      else if (dp.number !== undefined) out.push({ svc: service(n, Number(dp.number)) });
      else if (isRec(dp.range)) out.push({ svc: service(n, Number(dp.range.start), Number(dp.range.end)) });
    }
  }
  return out;
}

function cnpPeer(p: Record<string, unknown>): Peer[] {
  const out: Peer[] = [];
  if (p.namespaces !== undefined)
    out.push({ kind: 'pods', ns: { kind: 'selector', sel: unwrap(p.namespaces) } });
  if (isRec(p.pods))
    out.push({
      kind: 'pods',
      ns: { kind: 'selector', sel: p.pods.namespaceSelector ?? {} },
      pod: p.pods.podSelector ?? {},
    });
  for (const n of arr(p.networks)) {
    const set = blockSet(n, []);
    out.push(set ? { kind: 'cidr', set } : { kind: 'cidr', set: CidrSet.ALL });
  }
  if (p.nodes !== undefined)
    out.push({ kind: 'entity', name: 'host' }, { kind: 'entity', name: 'remote-node' });
  for (const dn of arr(p.domainNames)) out.push({ kind: 'fqdn', pattern: String(dn) });
  return out;
}

/** AdminNetworkPolicy (v1alpha1) wraps a namespace selector as {namespaceSelector}; ClusterNetworkPolicy does not. */
const unwrap = (v: unknown): unknown =>
  isRec(v) && v.namespaceSelector !== undefined ? v.namespaceSelector : v;

const ACTIONS: Record<string, PolicyRule['action']> = {
  accept: 'allow',
  allow: 'allow',
  deny: 'deny',
  pass: 'pass',
};

function clusterNetworkPolicy(d: K8sDocument, out: ClusterPolicies): void {
  const s = specOf(d.object);
  const layer: Layer = String(s.tier).toLowerCase() === 'baseline' ? 'baseline' : 'admin';
  const sub = isRec(s.subject) ? s.subject : {};
  const subject: Subject = isRec(sub.pods)
    ? { ns: { kind: 'selector', sel: sub.pods.namespaceSelector ?? {} }, pod: sub.pods.podSelector ?? {} }
    : { ns: sub.namespaces === undefined ? allNs : { kind: 'selector', sel: unwrap(sub.namespaces) } };
  const priority = Number(s.priority ?? 0);
  for (const dir of ['ingress', 'egress'] as const) {
    arr(s[dir]).forEach((r, i) => {
      if (!isRec(r)) return;
      const action = ACTIONS[String(r.action).toLowerCase()];
      if (!action) return;
      const peers = arr(r[dir === 'ingress' ? 'from' : 'to']).flatMap((p) => (isRec(p) ? cnpPeer(p) : []));
      out.rules.push({
        doc: d,
        layer,
        dir,
        action,
        order: [priority, i],
        subject,
        peers,
        ports: cnpProtocols(r.protocols ?? r.ports),
        label: `${name(d)} ${dir}[${i}] ${String(r.action)}${r.name ? ` (${String(r.name)})` : ''}`,
      });
    });
  }
}

export function isClusterNetworkPolicy(d: K8sDocument): boolean {
  return (
    (d.object.kind === 'ClusterNetworkPolicy' ||
      d.object.kind === 'AdminNetworkPolicy' ||
      d.object.kind === 'BaselineAdminNetworkPolicy') &&
    /^(policy\.networking\.k8s\.io|networking\.k8s\.aws)\//.test(d.object.apiVersion)
  );
}

export function collectPolicies(
  docs: readonly K8sDocument[],
  cilium: boolean,
  ciliumPolicy: (d: K8sDocument, out: ClusterPolicies) => void,
): ClusterPolicies {
  const out: ClusterPolicies = { rules: [], isolations: [] };
  for (const d of docs) {
    if (d.object.kind === 'NetworkPolicy' && d.object.apiVersion === 'networking.k8s.io/v1')
      networkPolicy(d, out);
    else if (!cilium && isClusterNetworkPolicy(d)) {
      if (d.object.kind === 'BaselineAdminNetworkPolicy')
        clusterNetworkPolicy(
          { ...d, object: { ...d.object, spec: { ...specOf(d.object), tier: 'Baseline' } } },
          out,
        );
      else clusterNetworkPolicy(d, out);
    } else if (
      cilium &&
      (d.object.kind === 'CiliumNetworkPolicy' || d.object.kind === 'CiliumClusterwideNetworkPolicy')
    )
      ciliumPolicy(d, out);
  }
  const byOrder = (a: PolicyRule, b: PolicyRule) =>
    a.order[0] - b.order[0] || name(a.doc).localeCompare(name(b.doc)) || a.order[1] - b.order[1];
  out.rules.sort(byOrder);
  return out;
}

/**
 * Endpoints and selectors of Kubernetes network policies. A tenant's pods carry whatever labels the
 * tenant gives them, so a pod is known by its namespace only: a selector over pod labels *may*
 * match it (allows are taken), and *must* match it only when it selects every pod (denies and
 * isolation are taken only then). The answer over-approximates what passes, never under.
 */
import { isRec, selectorMatches } from '../../engine/k8s';
import { CidrSet, parseCidr } from './cidr';
import { covers, overlaps, protoNumber, service, type Service } from './ports';

/** A namespace as the analysis knows it: its name and labels (with kubernetes.io/metadata.name). */
export interface Ns {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** What traffic is from or to: pods of a namespace, or addresses (and, for names, an FQDN). */
export type Endpoint =
  | {
      readonly kind: 'pod';
      readonly ns: Ns;
      readonly podLabels?: Record<string, string>;
      readonly ips: CidrSet;
    }
  | {
      readonly kind: 'ip';
      readonly set: CidrSet;
      readonly entities: readonly string[];
      readonly name?: string;
    };

/** Which namespaces a selector part admits. */
export type NsSel =
  | { readonly kind: 'all' }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'selector'; readonly sel: unknown };

export type Peer =
  | { readonly kind: 'pods'; readonly ns: NsSel; readonly pod?: unknown }
  | { readonly kind: 'cidr'; readonly set: CidrSet }
  | { readonly kind: 'entity'; readonly name: string }
  | { readonly kind: 'fqdn'; readonly pattern: string };

export const nsMatches = (s: NsSel, ns: Ns): boolean =>
  s.kind === 'all' ? true : s.kind === 'name' ? s.name === ns.name : selectorMatches(s.sel, ns.labels);

/** A label selector that selects every object (absent, or with no requirement). */
export function selectsAll(sel: unknown): boolean {
  if (sel === undefined || sel === null) return true;
  if (!isRec(sel) || Object.keys(sel).some((k) => k !== 'matchLabels' && k !== 'matchExpressions'))
    return false;
  const ml = isRec(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0;
  const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0;
  return ml === 0 && me === 0;
}

/** Whether some set of labels satisfies a selector (In with no values or contradictions do not). */
export function satisfiable(sel: unknown): boolean {
  if (sel === undefined || sel === null) return true;
  if (!isRec(sel)) return false;
  const need = new Map<string, Set<string> | 'exists' | 'absent'>();
  for (const [k, v] of Object.entries(isRec(sel.matchLabels) ? sel.matchLabels : {}))
    need.set(k, new Set([String(v)]));
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!isRec(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const prev = need.get(e.key);
    if (e.operator === 'In') {
      const allowed =
        prev instanceof Set
          ? new Set(values.filter((x) => prev.has(x)))
          : prev === 'absent'
            ? new Set<string>()
            : new Set(values);
      if (allowed.size === 0) return false;
      need.set(e.key, allowed);
    } else if (e.operator === 'Exists') {
      if (prev === 'absent') return false;
      if (prev === undefined) need.set(e.key, 'exists');
    } else if (e.operator === 'DoesNotExist') {
      if (prev !== undefined && prev !== 'absent') return false;
      need.set(e.key, 'absent');
    } else if (e.operator === 'NotIn') {
      if (prev instanceof Set) {
        const left = new Set([...prev].filter((x) => !values.includes(x)));
        if (left.size === 0) return false;
        need.set(e.key, left);
      }
    } else return false;
  }
  return true;
}

/** Whether a pod selector may select the endpoint's pod (and must, for `must`). */
export function podSelMatches(sel: unknown, ep: Endpoint, must: boolean): boolean {
  if (ep.kind !== 'pod') return false;
  if (ep.podLabels) return selectorMatches(sel ?? {}, ep.podLabels);
  return must ? selectsAll(sel) : satisfiable(sel);
}

/** Whether a peer matches an endpoint: `must` asks whether it matches every packet's endpoint. */
export function peerMatches(peer: Peer, ep: Endpoint, must: boolean): boolean {
  switch (peer.kind) {
    case 'pods':
      if (ep.kind !== 'pod') return false;
      if (!nsMatches(peer.ns, ep.ns)) return false;
      return podSelMatches(peer.pod, ep, must);
    case 'cidr':
      if (ep.kind === 'pod') return !must && peer.set.overlaps(ep.ips);
      return must ? peer.set.covers(ep.set) : peer.set.overlaps(ep.set);
    case 'entity':
      if (peer.name === 'all') return true;
      if (ep.kind === 'pod') return peer.name === 'cluster';
      return ep.entities.includes(peer.name);
    case 'fqdn':
      return (
        !must &&
        ep.kind === 'ip' &&
        ep.name !== undefined &&
        (ep.name === '*' || fqdnMatches(peer.pattern, ep.name))
      );
  }
}

function fqdnMatches(pattern: string, name: string): boolean {
  if (pattern === '*' || pattern === name) return true;
  const re = new RegExp(
    `^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[-a-zA-Z0-9.]*')}$`,
  );
  return re.test(name);
}

/** An ipBlock-like value (cidr with except) as a set; undefined when not a CIDR. */
export function blockSet(cidr: unknown, except: unknown): CidrSet | undefined {
  if (typeof cidr !== 'string' || !parseCidr(cidr)) return undefined;
  const ex = (Array.isArray(except) ? except : []).filter(
    (e): e is string => typeof e === 'string' && parseCidr(e) !== undefined,
  );
  return CidrSet.of(cidr).minus(ex.length ? CidrSet.of(...ex) : CidrSet.EMPTY);
}

/** Ports of a rule: undefined admits every port of every protocol; a named port is `named`. */
export type PortSpec = { readonly svc: Service; readonly named?: string };

export function portsMatch(
  ports: readonly PortSpec[] | undefined,
  flow: Service,
  must: boolean,
): Service | undefined {
  if (ports === undefined) return flow;
  for (const p of ports) {
    if (p.named !== undefined) {
      if (!must && (p.svc.proto === flow.proto || flow.proto === -1)) return flow;
      continue;
    }
    if (must ? covers(p.svc, flow) : overlaps(p.svc, flow))
      return must
        ? flow
        : {
            proto: flow.proto === -1 ? p.svc.proto : flow.proto,
            lo: Math.max(p.svc.lo, flow.lo),
            hi: Math.min(p.svc.hi, flow.hi),
          };
  }
  return undefined;
}

/** NetworkPolicy ports: [{protocol, port (number or name), endPort}]. */
export function npPorts(v: unknown): PortSpec[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.filter(isRec).map((p) => {
    const proto = protoNumber(p.protocol ?? 'TCP') ?? 6;
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) return { svc: service(proto), named: p.port };
    if (p.port === undefined) return { svc: service(proto, 0, 65535) };
    const lo = Number(p.port);
    return { svc: service(proto, lo, p.endPort === undefined ? lo : Number(p.endPort)) };
  });
}

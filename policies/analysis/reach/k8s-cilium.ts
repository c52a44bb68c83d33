/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy in the common form. Cilium's selectors
 * carry the namespace in labels (`k8s:io.kubernetes.pod.namespace`, and namespace labels under
 * `k8s:io.cilium.k8s.namespace.labels.`): they are split into a namespace part and a pod part.
 * A namespaced policy's selectors stay in its namespace unless they name one.
 */
import { isRec, specOf } from '../../engine/k8s';
import type { K8sDocument } from '../../engine/types';
import { CidrSet } from './cidr';
import { blockSet, type NsSel, type Peer, type PortSpec } from './k8s-peers';
import { name, type ClusterPolicies, type Dir, type PolicyRule, type Subject } from './k8s-policies';
import { protoNumber, service } from './ports';
import { WELL_KNOWN_LABEL } from '../../../infra/contract';

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const NS_NAME = /^(?:k8s:)?io\.kubernetes\.pod\.namespace$/;
const NS_LABEL = /^(?:k8s:)?io\.cilium\.k8s\.namespace\.labels\.(.+)$/;
const POD = /^(?:k8s:|any:)?(.+)$/;

/** Splits a Cilium endpoint selector into a namespace selector and a pod selector. */
export function splitSelector(sel: unknown, ownNs: string | undefined): Subject {
  if (!isRec(sel)) return { ns: ownNs ? { kind: 'name', name: ownNs } : { kind: 'all' }, pod: {} };
  const nsLabels: Record<string, string> = {};
  const podLabels: Record<string, string> = {};
  const nsExpr: unknown[] = [];
  const podExpr: unknown[] = [];
  let namesNs = false;
  const place = (key: string, put: (k: string, ns: boolean) => void) => {
    if (NS_NAME.test(key)) {
      namesNs = true;
      put(WELL_KNOWN_LABEL.namespaceName, true);
    } else if (NS_LABEL.test(key)) {
      namesNs = true;
      put((NS_LABEL.exec(key) as RegExpExecArray)[1], true);
    } else put((POD.exec(key) as RegExpExecArray)[1], false);
  };
  for (const [k, v] of Object.entries(isRec(sel.matchLabels) ? sel.matchLabels : {}))
    place(k, (key, ns) => ((ns ? nsLabels : podLabels)[key] = String(v)));
  for (const e of arr(sel.matchExpressions))
    if (isRec(e) && typeof e.key === 'string')
      place(e.key, (key, ns) => (ns ? nsExpr : podExpr).push({ ...e, key }));
  const nsSel: NsSel =
    namesNs || !ownNs
      ? {
          kind: 'selector',
          sel: {
            matchLabels: {
              ...nsLabels,
              ...(ownNs && !namesNs ? { [WELL_KNOWN_LABEL.namespaceName]: ownNs } : {}),
            },
            matchExpressions: nsExpr,
          },
        }
      : { kind: 'name', name: ownNs };
  return { ns: nsSel, pod: { matchLabels: podLabels, matchExpressions: podExpr } };
}

function toPorts(v: unknown): PortSpec[] | undefined {
  const out: PortSpec[] = [];
  for (const tp of arr(v)) {
    if (!isRec(tp)) continue;
    const ports = arr(tp.ports);
    if (ports.length === 0) return undefined;
    for (const p of ports.filter(isRec)) {
      const proto =
        String(p.protocol ?? 'ANY').toUpperCase() === 'ANY' ? -1 : (protoNumber(p.protocol) ?? -1);
      if (typeof p.port === 'string' && !/^\d+$/.test(p.port))
        out.push({ svc: service(proto), named: p.port });
      else {
        const lo = Number(p.port ?? 0);
        const hi = p.endPort !== undefined ? Number(p.endPort) : lo === 0 ? 65535 : lo;
        out.push({ svc: proto === -1 ? { proto: -1, lo, hi } : service(proto, lo, hi) });
      }
    }
  }
  return out.length ? out : undefined;
}

function peersOf(r: Record<string, unknown>, dir: Dir, ownNs: string | undefined): Peer[] | undefined {
  const p = dir === 'ingress' ? 'from' : 'to';
  const out: Peer[] = [];
  let l3 = false;
  for (const sel of arr(r[`${p}Endpoints`])) {
    l3 = true;
    const s = splitSelector(sel, ownNs);
    out.push({ kind: 'pods', ns: s.ns, pod: s.pod });
  }
  for (const c of arr(r[`${p}CIDR`])) {
    l3 = true;
    out.push({ kind: 'cidr', set: blockSet(c, []) ?? CidrSet.ALL });
  }
  for (const c of arr(r[`${p}CIDRSet`])) {
    l3 = true;
    if (isRec(c)) out.push({ kind: 'cidr', set: blockSet(c.cidr, c.except) ?? CidrSet.ALL });
  }
  for (const e of arr(r[`${p}Entities`])) {
    l3 = true;
    out.push({ kind: 'entity', name: String(e) });
  }
  for (const f of arr(r.toFQDNs)) {
    l3 = true;
    if (isRec(f)) out.push({ kind: 'fqdn', pattern: String(f.matchName ?? f.matchPattern ?? '*') });
  }
  for (const k of [`${p}Services`, `${p}Nodes`, `${p}Groups`, `${p}Requires`])
    if (r[k] !== undefined) l3 = true;
  if (r[`${p}Services`] !== undefined || r[`${p}Groups`] !== undefined || r[`${p}Nodes`] !== undefined)
    out.push({ kind: 'cidr', set: CidrSet.ALL });
  if (!l3) return r.toPorts !== undefined ? undefined : [];
  return out;
}

/** Rules and isolation of one Cilium policy (its `spec` and every entry of `specs`). */
export function ciliumPolicy(d: K8sDocument, out: ClusterPolicies): void {
  const ownNs =
    d.object.kind === 'CiliumNetworkPolicy' ? String(d.object.metadata.namespace ?? 'default') : undefined;
  const specs = [specOf(d.object), ...arr(d.object.specs).filter(isRec)].filter(
    (s) => Object.keys(s).length > 0,
  );
  specs.forEach((s, si) => {
    if (s.endpointSelector === undefined) return;
    const subject = splitSelector(s.endpointSelector, ownNs);
    const dd = isRec(s.enableDefaultDeny) ? s.enableDefaultDeny : {};
    for (const dir of ['ingress', 'egress'] as const) {
      const allow = arr(s[dir]);
      const deny = arr(s[`${dir}Deny`]);
      if (allow.length && dd[dir] !== false) out.isolations.push({ doc: d, dir, subject, label: name(d) });
      for (const [list, action] of [
        [allow, 'allow'],
        [deny, 'deny'],
      ] as const) {
        list.forEach((r, i) => {
          if (!isRec(r)) return;
          const rule: PolicyRule = {
            doc: d,
            layer: 'cilium',
            dir,
            action,
            order: [0, si * 1000 + i],
            subject,
            peers: peersOf(r, dir, ownNs),
            ports: toPorts(r.toPorts),
            label: `${name(d)} ${dir}${action === 'deny' ? 'Deny' : ''}[${i}]`,
          };
          out.rules.push(rule);
        });
      }
    }
  });
}

import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  clusterRef,
  clusters,
  isRec,
  k8sDocs,
  namespaceLabels,
  selectorMatches,
  specOf,
  tenantNamespaces,
} from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { CidrSet } from '../../analysis/reach/cidr';
import { blockSet } from '../../analysis/reach/k8s-peers';
import { exNamespace, k8s } from '../../examples/builders';
import { LABEL } from '../../../infra/contract';

const IMDS = '169.254.169.254';
const CILIUM_NS_LABEL = 'k8s:io.cilium.k8s.namespace.labels.';

/** Whether CIDRs (strings, or Cilium {cidr, except}) together hold the metadata address, as address sets. */
function networksCover(list: unknown[]): boolean {
  const set = list.reduce<CidrSet>(
    (acc, c) => acc.union((isRec(c) ? blockSet(c.cidr, c.except) : blockSet(c, [])) ?? CidrSet.EMPTY),
    CidrSet.EMPTY,
  );
  return set.covers(CidrSet.of(IMDS));
}

/** The tenant namespaces a cluster-wide policy keeps from the metadata address (fails closed: unknown shapes cover nothing). */
function covers(o: K8sObject, ns: K8sObject): boolean {
  const s = specOf(o);
  const nsLabels = namespaceLabels(ns);
  if (o.kind === 'ClusterNetworkPolicy' || o.kind === 'AdminNetworkPolicy') {
    const subject = isRec(s.subject) ? s.subject : {};
    if (!isRec(subject.namespaces) || !selectorMatches(subject.namespaces, nsLabels)) return false;
    return (Array.isArray(s.egress) ? s.egress : []).some(
      (r) =>
        isRec(r) &&
        r.action === 'Deny' &&
        networksCover(
          (Array.isArray(r.to) ? r.to : []).flatMap((p) =>
            isRec(p) && Array.isArray(p.networks) ? p.networks : [],
          ),
        ),
    );
  }
  if (o.kind === 'CiliumClusterwideNetworkPolicy') {
    const sel = isRec(s.endpointSelector) ? s.endpointSelector : undefined;
    if (!sel) return false;
    // Cilium exposes namespace labels to endpoint selectors under a prefix; strip it to match the Namespace.
    const strip = (k: string) =>
      k.startsWith(CILIUM_NS_LABEL) ? k.slice(CILIUM_NS_LABEL.length) : `\u0000${k}`;
    const translated = {
      ...(isRec(sel.matchLabels)
        ? { matchLabels: Object.fromEntries(Object.entries(sel.matchLabels).map(([k, v]) => [strip(k), v])) }
        : {}),
      ...(Array.isArray(sel.matchExpressions)
        ? {
            matchExpressions: sel.matchExpressions.map((e) =>
              isRec(e) && typeof e.key === 'string' ? { ...e, key: strip(e.key) } : e,
            ),
          }
        : {}),
    };
    if (!selectorMatches(translated, nsLabels)) return false;
    return (Array.isArray(s.egressDeny) ? s.egressDeny : []).some(
      (r) =>
        isRec(r) &&
        networksCover([
          ...(Array.isArray(r.toCIDR) ? r.toCIDR : []),
          ...(Array.isArray(r.toCIDRSet) ? r.toCIDRSet : []),
        ]),
    );
  }
  return false;
}

const anp = (
  to: string[],
  selector: Record<string, unknown> = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] },
): K8sObject => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'guardrails' },
  spec: {
    tier: 'Admin',
    priority: 10,
    subject: { namespaces: selector },
    egress: [{ name: 'imds', action: 'Deny', to: [{ networks: to }] }],
  },
});
const cilium: K8sObject = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumClusterwideNetworkPolicy',
  metadata: { name: 'guardrails' },
  spec: {
    endpointSelector: {
      matchExpressions: [{ key: `${CILIUM_NS_LABEL}genesis.platform/tenant`, operator: 'Exists' }],
    },
    egressDeny: [{ toCIDR: ['169.254.169.254/32'] }],
  },
};

export default defineRule({
  id: 'GEN-K8S-TEN-015',
  title: 'A cluster-wide policy denies tenant pods the instance metadata address',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-7', 'AC-6', 'AC-4'],
  rationale:
    "169.254.169.254 serves node credentials and instance identity; a tenant's own NetworkPolicies can allow it, so the deny must sit in a cluster-wide tier tenants cannot override (ClusterNetworkPolicy tier Admin, or CiliumClusterwideNetworkPolicy egressDeny).",
  remediation:
    'Add an Admin-tier ClusterNetworkPolicy (or a CiliumClusterwideNetworkPolicy egressDeny) that denies egress to 169.254.169.254/32 from every namespace labelled genesis.platform/tenant.',
  *check(ctx) {
    const tenants = tenantNamespaces(ctx);
    const guardrails = k8sDocs(ctx, [
      'ClusterNetworkPolicy',
      'AdminNetworkPolicy',
      'CiliumClusterwideNetworkPolicy',
    ]);
    for (const [site, cluster] of clusters(ctx)) {
      const key = `${site}/${cluster}`;
      const open = tenants.filter(
        (t) =>
          clusterOf(t.doc) === key &&
          !guardrails.some((g) => clusterOf(g) === key && covers(g.object, t.doc.object)),
      );
      if (open.length)
        yield {
          resource: clusterRef(site, cluster),
          status: 'fail',
          message: `no cluster-wide policy denies ${IMDS} to ${open.map((t) => String(t.doc.object.metadata.name)).join(', ')}`,
        };
    }
  },
  examples: [
    {
      name: 'an AdminNetworkPolicy that denies the metadata address',
      artifacts: k8s([exNamespace('acme'), anp(['169.254.169.254/32'])]),
      expect: { fires: false },
    },
    {
      name: 'a Cilium clusterwide policy that denies the metadata address',
      artifacts: k8s([exNamespace('acme'), cilium]),
      expect: { fires: false },
    },
    {
      name: 'no cluster-wide policy',
      artifacts: k8s([exNamespace('acme')]),
      expect: { fires: true, message: /no cluster-wide policy denies 169\.254\.169\.254 to tenant-acme/ },
    },
    {
      name: 'a deny of 10.0.0.0/8 only',
      artifacts: k8s([exNamespace('acme'), anp(['10.0.0.0/8'])]),
      expect: { fires: true, message: /no cluster-wide policy denies 169\.254\.169\.254 to tenant-acme/ },
    },
    {
      name: "a deny whose selector misses the tenant's namespace",
      artifacts: k8s([exNamespace('acme'), anp(['169.254.169.254/32'], { matchLabels: { team: 'x' } })]),
      expect: { fires: true, message: /no cluster-wide policy denies 169\.254\.169\.254 to tenant-acme/ },
    },
    {
      name: 'a Cilium policy with an empty egressDeny',
      artifacts: k8s([
        exNamespace('acme'),
        { ...cilium, spec: { ...(cilium.spec as object), egressDeny: [] } },
      ]),
      expect: { fires: true, message: /no cluster-wide policy denies 169\.254\.169\.254 to tenant-acme/ },
    },
  ],
});

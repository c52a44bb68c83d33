/** Small clusters for the reachability rules' examples and tests. */
import { exNamespace } from '../../../examples/builders';
import type { ExampleArtifacts, K8sObject } from '../../../engine/types';
import { LABEL, WELL_KNOWN_LABEL } from '../../../../infra/contract';

export const np = (ns: string, name: string, spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec: { podSelector: {}, ...spec },
});

/** The platform's bundle for a tenant: default deny both ways, same-namespace traffic, DNS. */
export function tenantBundle(t: string): K8sObject[] {
  const ns = `tenant-${t}`;
  return [
    exNamespace(t),
    np(ns, 'default-deny', { policyTypes: ['Ingress', 'Egress'] }),
    np(ns, 'same-namespace', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    np(ns, 'dns', {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [WELL_KNOWN_LABEL.namespaceName]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [{ port: 53, protocol: 'UDP' }],
        },
      ],
    }),
  ];
}

export const adminDenyMetadata: K8sObject = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'guardrails' },
  spec: {
    tier: 'Admin',
    priority: 10,
    subject: { namespaces: { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] } },
    egress: [
      { name: 'imds', action: 'Deny', to: [{ networks: ['169.254.169.254/32', 'fd00:ec2::254/128'] }] },
    ],
  },
};

export const cnp = (
  tier: 'Admin' | 'Baseline',
  priority: number,
  dir: 'ingress' | 'egress',
  action: string,
  peers: unknown[],
  subject: unknown = { namespaces: {} },
  protocols?: unknown[],
): K8sObject => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: `${tier.toLowerCase()}-${priority}-${dir}-${action.toLowerCase()}` },
  spec: {
    tier,
    priority,
    subject,
    [dir]: [
      { name: 'r', action, [dir === 'ingress' ? 'from' : 'to']: peers, ...(protocols ? { protocols } : {}) },
    ],
  },
});

export const ccnp = (name: string, spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumClusterwideNetworkPolicy',
  metadata: { name },
  spec,
});
export const cilnp = (ns: string, name: string, spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

export const k8sIntent = (cni?: string) => ({
  sites: [{ id: 'site-a', kind: 'onprem', ...(cni ? { cni } : {}) }],
  clusters: [{ id: 'cluster-a', site: 'site-a', enclave: 'e' }],
  enclaves: [
    {
      id: 'e',
      site: 'site-a',
      classification: 'cui',
      cidr: '10.60.0.0/16',
      egress: { mode: 'none' },
      reachableFrom: [],
    },
  ],
});

/** Two tenants (acme, beta) with the bundle, plus `extra`, on a cluster with CNI `cni`. */
export const twoTenants = (extra: K8sObject[] = [], cni?: string): ExampleArtifacts => ({
  k8s: {
    'site-a/cluster-a/chart.yaml': [
      ...tenantBundle('acme'),
      ...tenantBundle('beta'),
      ...(cni === 'cilium' ? [] : [adminDenyMetadata]),
      ...extra,
    ],
  },
  intent: k8sIntent(cni),
});

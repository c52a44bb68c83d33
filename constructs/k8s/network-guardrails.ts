/**
 * Enclave guardrails: cluster-wide network denies that a tenant's own NetworkPolicies cannot
 * override. Tenant pods may not reach other enclaves of the site (unless the target enclave lists
 * this one in `reachableFrom`) nor the cloud/instance metadata service.
 *
 * Which API enforces them depends on the CNI:
 * - cilium: CiliumClusterwideNetworkPolicy (Cilium does not implement ClusterNetworkPolicy);
 *   deny rules take precedence over every allow, and `ingressDeny` can also refuse other enclaves.
 * - calico / other: upstream `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy, tier
 *   Admin (evaluated before any NetworkPolicy; implemented by Calico and kube-network-policies).
 * - AWS (EKS, Amazon VPC CNI): the model has no `cni` field because EKS runs the VPC CNI. Since
 *   December 2025 its network policy agent (VPC CNI >= 1.21.1, Kubernetes >= 1.29) enforces
 *   "admin network policies" through its own CRD, `networking.k8s.aws/v1alpha1`
 *   ClusterNetworkPolicy, with the Admin/Baseline tiers and the upstream rule shape (`action`,
 *   `to.networks`). The upstream API group is not served on EKS, and Calico or Cilium as a second
 *   policy engine on EKS would be one more component to run and patch, so the EKS kind is used.
 *
 * Ingress from other enclaves: ClusterNetworkPolicy peers for ingress are pods and namespaces
 * only (no CIDRs); there, the tenant namespaces' default-deny ingress is what refuses them.
 */
import type { Construct } from 'constructs';
import { LABEL } from '../../infra/contract/names';
import { runsOnEks, type ClusterContext } from './context';
import {
  ciliumClusterwideNetworkPolicy,
  clusterNetworkPolicy,
  EKS_CNP_API,
  UPSTREAM_CNP_API,
  type LabelSelector,
} from './crds/network-policy-api';

/** Instance metadata: AWS IMDS (IPv4 and the Nitro IPv6 address); the IPv4 one is also used by most on-prem clouds. */
export const METADATA_CIDRS = ['169.254.169.254/32', 'fd00:ec2::254/128'] as const;

export const GUARDRAIL_NAME = 'genesis-enclave-guardrails';

/** Every tenant namespace carries the tenant label; platform namespaces do not. */
export const TENANT_NAMESPACES: LabelSelector = {
  matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }],
};

export type GuardrailKind = 'cilium' | 'upstream-cnp' | 'eks-cnp';

export function guardrailKind(ctx: ClusterContext): GuardrailKind {
  if (runsOnEks(ctx)) return 'eks-cnp';
  return ctx.site.kind !== 'aws' && ctx.site.cni === 'cilium' ? 'cilium' : 'upstream-cnp';
}

/** CIDRs of other enclaves of the site that the cluster's enclave may not open connections to. */
export function blockedEgressCidrs(ctx: ClusterContext): string[] {
  return ctx.siteEnclaves.filter((e) => !e.reachableFrom.includes(ctx.enclave.id)).map((e) => e.cidr);
}

/** CIDRs of other enclaves of the site that may not open connections into the cluster's enclave. */
export function blockedIngressCidrs(ctx: ClusterContext): string[] {
  return ctx.siteEnclaves.filter((e) => !ctx.enclave.reachableFrom.includes(e.id)).map((e) => e.cidr);
}

export function addNetworkGuardrails(scope: Construct, ctx: ClusterContext): void {
  const egressBlocked = blockedEgressCidrs(ctx);
  const kind = guardrailKind(ctx);
  const metadata = { name: GUARDRAIL_NAME, labels: ctx.labels() };
  if (kind === 'cilium') {
    const ingressBlocked = blockedIngressCidrs(ctx);
    ciliumClusterwideNetworkPolicy(scope, 'guardrails', {
      metadata,
      spec: {
        description: `Enclave ${ctx.enclave.id}: no metadata service, no enclave the model does not connect.`,
        endpointSelector: {
          matchExpressions: [
            { key: `k8s:io.cilium.k8s.namespace.labels.${LABEL.tenant}`, operator: 'Exists' },
          ],
        },
        enableDefaultDeny: { egress: false, ingress: false },
        egressDeny: [{ toCIDR: [...METADATA_CIDRS, ...egressBlocked] }],
        ...(ingressBlocked.length > 0 ? { ingressDeny: [{ fromCIDR: ingressBlocked }] } : {}),
      },
    });
    return;
  }
  clusterNetworkPolicy(scope, 'guardrails', kind === 'eks-cnp' ? EKS_CNP_API : UPSTREAM_CNP_API, {
    metadata,
    spec: {
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: TENANT_NAMESPACES },
      egress: [
        { name: 'deny-instance-metadata', action: 'Deny', to: [{ networks: [...METADATA_CIDRS] }] },
        ...(egressBlocked.length > 0
          ? [{ name: 'deny-other-enclaves', action: 'Deny' as const, to: [{ networks: egressBlocked }] }]
          : []),
      ],
    },
  });
}

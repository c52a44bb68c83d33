/**
 * Cluster-wide network policies: the upstream `policy.networking.k8s.io/v1alpha2`
 * ClusterNetworkPolicy (Calico, kube-network-policies), the Amazon EKS
 * `networking.k8s.aws/v1alpha1` ClusterNetworkPolicy (VPC CNI network policy agent), and Cilium's
 * `cilium.io/v2` CiliumClusterwideNetworkPolicy. Only the fields the guardrails use.
 */
import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { customResource, type CustomResourceProps } from './api-object';

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }>;
}

/** The subset common to the upstream v1alpha2 and the EKS v1alpha1 kinds: Admin-tier CIDR denies. */
export interface ClusterNetworkPolicySpec {
  readonly tier: 'Admin' | 'Baseline';
  readonly priority: number;
  readonly subject: { readonly namespaces: LabelSelector };
  readonly egress?: ReadonlyArray<{ readonly name: string; readonly action: 'Accept' | 'Deny' | 'Pass'; readonly to: ReadonlyArray<{ readonly networks: readonly string[] }> }>;
}

export const UPSTREAM_CNP_API = 'policy.networking.k8s.io/v1alpha2';
export const EKS_CNP_API = 'networking.k8s.aws/v1alpha1';

export const clusterNetworkPolicy = (
  scope: Construct,
  id: string,
  apiVersion: typeof UPSTREAM_CNP_API | typeof EKS_CNP_API,
  props: CustomResourceProps<ClusterNetworkPolicySpec>,
): ApiObject => customResource(scope, id, { apiVersion, kind: 'ClusterNetworkPolicy' }, props);

export interface CiliumClusterwideNetworkPolicySpec {
  readonly description?: string;
  readonly endpointSelector: LabelSelector;
  /** Deny-only policy: keep default-deny off so it adds denies without isolating the pods. */
  readonly enableDefaultDeny: { readonly egress: boolean; readonly ingress: boolean };
  readonly egressDeny?: ReadonlyArray<{ readonly toCIDR: readonly string[] }>;
  readonly ingressDeny?: ReadonlyArray<{ readonly fromCIDR: readonly string[] }>;
}

export const ciliumClusterwideNetworkPolicy = (scope: Construct, id: string, props: CustomResourceProps<CiliumClusterwideNetworkPolicySpec>): ApiObject =>
  customResource(scope, id, { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy' }, props);

/** Cilium `cilium.io/v2` CiliumNetworkPolicy (namespaced): DNS-aware egress allows. */
export interface CiliumNetworkPolicySpec {
  readonly description?: string;
  readonly endpointSelector: LabelSelector;
  readonly egress: ReadonlyArray<{
    readonly toEndpoints?: readonly LabelSelector[];
    readonly toFQDNs?: ReadonlyArray<{ readonly matchName: string } | { readonly matchPattern: string }>;
    readonly toPorts: ReadonlyArray<{
      readonly ports: ReadonlyArray<{ readonly port: string; readonly protocol: 'TCP' | 'UDP' | 'ANY' }>;
      readonly rules?: { readonly dns: ReadonlyArray<{ readonly matchPattern: string }> };
    }>;
  }>;
}

export const ciliumNetworkPolicy = (scope: Construct, id: string, props: CustomResourceProps<CiliumNetworkPolicySpec>): ApiObject =>
  customResource(scope, id, { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' }, props);

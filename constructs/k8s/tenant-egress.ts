/**
 * The enclave's egress allow-list, opened for tenant pods on top of their default deny.
 *
 * - `cidrs`: a NetworkPolicy allowing those networks (all ports: the model names destinations,
 *   not services).
 * - `fqdns`: only Cilium can allow by name inside the cluster (CiliumNetworkPolicy `toFQDNs`, with
 *   DNS answers seen through its DNS proxy); HTTPS (443) only, as the allow-list is for package
 *   mirrors and registries. On other CNIs and on EKS a name cannot be turned into a pod rule
 *   (EKS's DNS policies need Auto Mode); the names are reported by {@link unresolvedEgressNames}
 *   rather than widened to "any address on 443".
 */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { tenantNamespace } from '../../infra/contract/names';
import type { ClusterContext } from './context';
import { ciliumNetworkPolicy } from './crds/network-policy-api';

const allowList = (ctx: ClusterContext) =>
  ctx.enclave.egress.mode === 'allow-list' ? ctx.enclave.egress : undefined;

const fqdnsByCilium = (ctx: ClusterContext): boolean =>
  ctx.site.kind === 'onprem' && ctx.site.cni === 'cilium';

export function addEgressAllowList(scope: Construct, ctx: ClusterContext, tenantId: string): void {
  const list = allowList(ctx);
  if (!list) return;
  const namespace = tenantNamespace(tenantId);
  const labels = ctx.labels({ tenant: tenantId });
  const cidrs = [...list.cidrs].sort();
  if (cidrs.length > 0) {
    const np = new kplus.NetworkPolicy(scope, 'allow-egress-cidrs', {
      metadata: { name: 'genesis-allow-egress-cidrs', namespace, labels },
      selector: kplus.Pods.all(scope, 'egress-pods'),
    });
    cidrs.forEach((cidr, i) =>
      np.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(scope, `egress-cidr-${i}`, cidr)),
    );
  }
  const fqdns = [...list.fqdns].sort();
  if (fqdns.length > 0 && fqdnsByCilium(ctx)) {
    ciliumNetworkPolicy(scope, 'allow-egress-fqdns', {
      metadata: { name: 'genesis-allow-egress-fqdns', namespace, labels },
      spec: {
        description: `Enclave ${ctx.enclave.id} egress allow-list`,
        endpointSelector: {},
        egress: [
          {
            // Lookups go through Cilium's DNS proxy, which learns the addresses toFQDNs allows.
            toEndpoints: [
              {
                matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' },
              },
            ],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
          {
            toFQDNs: fqdns.map((name) =>
              name.startsWith('*.') ? { matchPattern: name } : { matchName: name },
            ),
            toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
          },
        ],
      },
    });
  }
}

/** Allow-listed names that this cluster's network cannot enforce per pod. */
export function unresolvedEgressNames(ctx: ClusterContext): string[] {
  const list = allowList(ctx);
  return list && !fqdnsByCilium(ctx) ? [...list.fqdns].sort() : [];
}

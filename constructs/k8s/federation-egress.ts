/**
 * The egress of Kueue's namespace on a federation manager whose workers are on other sites: the
 * MultiKueue controller opens connections to each worker's API endpoint (its /32, on its port) and
 * to nothing else of the workers' enclaves. It also keeps what Kueue needs in its own cluster:
 * DNS (kube-dns) and the cluster's API server, which answers inside the manager's enclave (on EKS
 * through the control plane's network interfaces in the VPC) on 443 or 6443.
 *
 * Every pod of the namespace is selected and egress is isolated: an egress the policy does not
 * list is dropped. Ingress (Kueue's webhooks, called by the API server) is left as it is.
 */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { KUEUE_NAMESPACE, WELL_KNOWN_LABEL } from '../../infra/contract';
import { federationPaths } from '../../infra/model';
import type { ClusterContext } from './context';

/** The NetworkPolicy in KUEUE_NAMESPACE on a manager with workers on other sites. */
export const FEDERATION_EGRESS_POLICY = 'genesis-federation-egress';

const tcp = (port: number) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) });

export function addFederationEgress(scope: Construct, ctx: ClusterContext): void {
  const byEndpoint = new Map<string, { cidr: string; port: number }>();
  for (const p of federationPaths(ctx.platform).filter((x) => x.manager === ctx.cluster.id))
    byEndpoint.set(`${p.address}:${p.port}`, { cidr: `${p.address}/32`, port: p.port });
  if (byEndpoint.size === 0) return;
  const endpoints = [...byEndpoint.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, e]) => e);
  new kplus.k8s.KubeNetworkPolicy(scope, 'federation-egress', {
    metadata: { name: FEDERATION_EGRESS_POLICY, namespace: KUEUE_NAMESPACE, labels: ctx.labels() },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [WELL_KNOWN_LABEL.namespaceName]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: kplus.k8s.IntOrString.fromNumber(53) },
            { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(53) },
          ],
        },
        { to: [{ ipBlock: { cidr: ctx.enclave.cidr } }], ports: [tcp(443), tcp(6443)] },
        ...endpoints.map((e) => ({ to: [{ ipBlock: { cidr: e.cidr } }], ports: [tcp(e.port)] })),
      ],
    },
  });
}

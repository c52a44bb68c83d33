/** A federation manager's Kueue namespace: egress to DNS, its own API server and each off-site worker's API only. */
import { App } from 'cdk8s';
import { clusterChart } from '../../constructs/k8s';
import { FEDERATION_EGRESS_POLICY } from '../../constructs/k8s/federation-egress';
import { KUEUE_NAMESPACE } from '../../infra/contract';
import type { Platform } from '../../infra/model';
import { defaultPlatform, type K8sObject } from './support';
import { variant } from './variants';

const policiesOf = (platform: Platform, clusterId: string): K8sObject[] =>
  (clusterChart(new App(), platform, clusterId).toJson() as K8sObject[]).filter(
    (o) => o.kind === 'NetworkPolicy' && o.metadata.name === FEDERATION_EGRESS_POLICY,
  );
const tcp = (port: number) => ({ protocol: 'TCP', port });

test("the manager gw-gpu isolates Kueue's egress to DNS, its enclave's API server and aurora-gpu's 10.70.0.10:6443", () => {
  const [np, ...rest] = policiesOf(defaultPlatform(), 'gw-gpu');
  expect(rest).toEqual([]);
  expect(np.metadata.namespace).toBe(KUEUE_NAMESPACE);
  expect(np.spec).toEqual({
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [{ protocol: 'UDP', port: 53 }, tcp(53)],
      },
      { to: [{ ipBlock: { cidr: '10.41.0.0/16' } }], ports: [tcp(443), tcp(6443)] },
      { to: [{ ipBlock: { cidr: '10.70.0.10/32' } }], ports: [tcp(6443)] },
    ],
  });
});

test('clusters that manage no off-site worker get no such policy', () => {
  for (const id of ['le-gpu', 'aurora-gpu']) expect(policiesOf(defaultPlatform(), id)).toEqual([]);
});

test("the endpoint's declared port is the only port opened to it", () => {
  const p = variant((spec) => {
    spec.clusters.find((c: any) => c.id === 'aurora-gpu').apiServer.port = 8443;
  });
  const [np] = policiesOf(p, 'gw-gpu');
  expect((np.spec as { egress: unknown[] }).egress[2]).toEqual({
    to: [{ ipBlock: { cidr: '10.70.0.10/32' } }],
    ports: [tcp(8443)],
  });
});

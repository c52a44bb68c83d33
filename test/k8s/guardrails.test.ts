/**
 * Enclave guardrails: the right API for the site's CNI, denying metadata addresses and exactly the
 * enclaves the model does not connect; the admission policy's API version follows the cluster.
 */
import { App } from 'cdk8s';
import { clusterChart } from '../../constructs/k8s';
import type { Platform } from '../../infra/model';
import { defaultPlatform, type K8sObject } from './support';
import { variant } from './variants';

const objectsOf = (platform: Platform, clusterId: string): K8sObject[] => clusterChart(new App(), platform, clusterId).toJson() as K8sObject[];
const guardrails = (objs: K8sObject[]): K8sObject[] => objs.filter((o) => /NetworkPolicy$/.test(o.kind));
const METADATA = ['169.254.169.254/32', 'fd00:ec2::254/128'];

/** lab-east gets two more enclaves: one that lists le-ec in reachableFrom, one that does not. */
function threeEnclaves(cni: 'cilium' | 'calico' | 'other', kubernetesVersion = '1.34'): Platform {
  return variant((spec) => {
    const site = spec.sites.find((s: any) => s.id === 'lab-east');
    site.cni = cni;
    site.kubernetesVersion = kubernetesVersion;
    spec.clusters.find((c: any) => c.id === 'le-gpu').kubernetesVersion = kubernetesVersion;
    const le = spec.enclaves.find((e: any) => e.id === 'le-ec');
    le.reachableFrom = ['le-x2'];
    spec.enclaves.push(
      { id: 'le-open', site: 'lab-east', classification: 'public', cidr: '10.61.0.0/16', egress: { mode: 'none' }, reachableFrom: ['le-ec'] },
      { id: 'le-x2', site: 'lab-east', classification: 'export-controlled', cidr: '10.62.0.0/16', egress: { mode: 'none' } },
    );
  });
}

test('EKS (VPC CNI) gets the networking.k8s.aws ClusterNetworkPolicy, Admin tier, over tenant namespaces', () => {
  const [g, ...rest] = guardrails(objectsOf(defaultPlatform(), 'gw-gpu'));
  expect(rest).toHaveLength(0);
  expect(g.apiVersion).toBe('networking.k8s.aws/v1alpha1');
  expect(g.kind).toBe('ClusterNetworkPolicy');
  const spec = g.spec as any;
  expect(spec.tier).toBe('Admin');
  expect(spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'genesis.platform/tenant', operator: 'Exists' }] } });
  // gw-open lists gw-cui (the cluster's enclave) in reachableFrom: only the metadata service is denied.
  expect(spec.egress).toEqual([{ name: 'deny-instance-metadata', action: 'Deny', to: [{ networks: METADATA }] }]);
});

test('an enclave not listing the cluster enclave in reachableFrom is denied (EKS)', () => {
  const platform = defaultPlatform();
  const cut: Platform = { ...platform, enclaves: platform.enclaves.map((e) => (e.id === 'gw-open' ? { ...e, reachableFrom: [] } : e)) };
  const spec = guardrails(objectsOf(cut, 'gw-gpu'))[0].spec as any;
  expect(spec.egress).toContainEqual({ name: 'deny-other-enclaves', action: 'Deny', to: [{ networks: ['10.40.0.0/16'] }] });
});

test.each(['calico', 'other'] as const)('%s gets the upstream ClusterNetworkPolicy denying unreachable enclaves', (cni) => {
  const [g, ...rest] = guardrails(objectsOf(threeEnclaves(cni), 'le-gpu'));
  expect(rest).toHaveLength(0);
  expect(g.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
  expect((g.spec as any).egress).toEqual([
    { name: 'deny-instance-metadata', action: 'Deny', to: [{ networks: METADATA }] },
    { name: 'deny-other-enclaves', action: 'Deny', to: [{ networks: ['10.62.0.0/16'] }] },
  ]);
});

test('cilium gets a CiliumClusterwideNetworkPolicy that denies without isolating, both directions', () => {
  const [g, ...rest] = guardrails(objectsOf(threeEnclaves('cilium'), 'le-gpu'));
  expect(rest).toHaveLength(0);
  expect(g.apiVersion).toBe('cilium.io/v2');
  expect(g.kind).toBe('CiliumClusterwideNetworkPolicy');
  const spec = g.spec as any;
  expect(spec.enableDefaultDeny).toEqual({ egress: false, ingress: false });
  expect(spec.egressDeny).toEqual([{ toCIDR: [...METADATA, '10.62.0.0/16'] }]);
  // le-ec lists le-x2 in reachableFrom, not le-open.
  expect(spec.ingressDeny).toEqual([{ fromCIDR: ['10.61.0.0/16'] }]);
  expect(spec.endpointSelector.matchExpressions[0].key).toBe('k8s:io.cilium.k8s.namespace.labels.genesis.platform/tenant');
});

test('the admission policy is v1 from Kubernetes 1.30 and v1beta1 before', () => {
  const v = (platform: Platform) => objectsOf(platform, 'le-gpu').filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy')).map((o) => o.apiVersion);
  expect(v(threeEnclaves('cilium', '1.29'))).toEqual(['admissionregistration.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1beta1']);
  expect(v(threeEnclaves('cilium', '1.30'))).toEqual(['admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1']);
});

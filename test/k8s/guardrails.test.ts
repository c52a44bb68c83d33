/**
 * Network: enclave guardrails the right API for the site's CNI, denying metadata addresses and exactly the
 * enclaves the model does not connect; the admission policy's API version follows the cluster.
 */
import * as fs from 'node:fs';
import { App } from 'cdk8s';
import { clusterChart, tenantChart } from '../../constructs/k8s';
import { synthK8s } from '../../stacks/k8s/synth';
import type { Platform } from '../../infra/model';
import { defaultPlatform, tempDir, type K8sObject } from './support';
import { variant, withAllowList } from './variants';

const objectsOf = (platform: Platform, clusterId: string): K8sObject[] =>
  clusterChart(new App(), platform, clusterId).toJson() as K8sObject[];
/** The cluster-wide guardrails (a manager's Kueue egress policy, namespaced, is not one). */
const guardrails = (objs: K8sObject[]): K8sObject[] =>
  objs.filter((o) => /NetworkPolicy$/.test(o.kind) && o.metadata.namespace === undefined);
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
      {
        id: 'le-open',
        site: 'lab-east',
        classification: 'public',
        cidr: '10.61.0.0/16',
        egress: { mode: 'none' },
        reachableFrom: ['le-ec'],
      },
      {
        id: 'le-x2',
        site: 'lab-east',
        classification: 'export-controlled',
        cidr: '10.62.0.0/16',
        egress: { mode: 'none' },
      },
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
  expect(spec.subject).toEqual({
    namespaces: { matchExpressions: [{ key: 'genesis.platform/tenant', operator: 'Exists' }] },
  });
  // gw-open lists gw-cui (the cluster's enclave) in reachableFrom: only the metadata service is denied.
  expect(spec.egress).toEqual([
    { name: 'deny-instance-metadata', action: 'Deny', to: [{ networks: METADATA }] },
  ]);
});

test('an enclave not listing the cluster enclave in reachableFrom is denied (EKS)', () => {
  const platform = defaultPlatform();
  const cut: Platform = {
    ...platform,
    enclaves: platform.enclaves.map((e) => (e.id === 'gw-open' ? { ...e, reachableFrom: [] } : e)),
  };
  const spec = guardrails(objectsOf(cut, 'gw-gpu'))[0].spec as any;
  expect(spec.egress).toContainEqual({
    name: 'deny-other-enclaves',
    action: 'Deny',
    to: [{ networks: ['10.40.0.0/16'] }],
  });
});

test.each(['calico', 'other'] as const)(
  '%s gets the upstream ClusterNetworkPolicy denying unreachable enclaves',
  (cni) => {
    const [g, ...rest] = guardrails(objectsOf(threeEnclaves(cni), 'le-gpu'));
    expect(rest).toHaveLength(0);
    expect(g.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect((g.spec as any).egress).toEqual([
      { name: 'deny-instance-metadata', action: 'Deny', to: [{ networks: METADATA }] },
      { name: 'deny-other-enclaves', action: 'Deny', to: [{ networks: ['10.62.0.0/16'] }] },
    ]);
  },
);

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
  expect(spec.endpointSelector.matchExpressions[0].key).toBe(
    'k8s:io.cilium.k8s.namespace.labels.genesis.platform/tenant',
  );
});

test('the admission policy is v1 from Kubernetes 1.30 and v1beta1 before', () => {
  const v = (platform: Platform) =>
    objectsOf(platform, 'le-gpu')
      .filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy'))
      .map((o) => o.apiVersion);
  expect(new Set(v(threeEnclaves('cilium', '1.29')))).toEqual(
    new Set(['admissionregistration.k8s.io/v1beta1']),
  );
  expect(new Set(v(threeEnclaves('cilium', '1.30')))).toEqual(new Set(['admissionregistration.k8s.io/v1']));
  // GPU env on pods, GPU env keys of ConfigMaps and Secrets, queue name, queue name of CronJobs,
  // pod owners, Kueue's gate, unsuspending, tenant volumes, tenant priorities: a policy and a binding each.
  expect(v(threeEnclaves('cilium', '1.30'))).toHaveLength(18);
});

test('only pods the built-in controllers create are exempt from the queue-name policy, never pods that claim an owner', () => {
  const policy = objectsOf(defaultPlatform(), 'le-gpu').find(
    (o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'genesis-require-queue-name',
  ) as any;
  const conditions: Array<{ expression: string }> = policy.spec.matchConditions;
  expect(conditions).toHaveLength(1);
  const expr = conditions[0].expression;
  expect(expr).not.toContain('ownerReferences');
  expect(expr).toContain("request.kind.kind != 'Pod' || !(request.userInfo.username in [");
  for (const user of [
    'system:serviceaccount:kube-system:job-controller',
    'system:serviceaccount:kube-system:replicaset-controller',
    'system:serviceaccount:kube-system:statefulset-controller',
  ]) {
    expect(expr).toContain(`'${user}'`);
  }
  expect(expr).not.toMatch(/system:serviceaccount:tenant-|system:serviceaccounts'/);
});

const tenantObjects = (platform: Platform, clusterId: string, tenantId: string): K8sObject[] =>
  tenantChart(new App(), platform, clusterId, tenantId).toJson() as K8sObject[];

test('an enclave egress allow-list opens its CIDRs, and on Cilium its names (HTTPS) via toFQDNs', () => {
  const objs = tenantObjects(withAllowList('le-gpu'), 'le-gpu', 'doe-fes');
  const cidrs = objs.find((o) => o.metadata.name === 'genesis-allow-egress-cidrs')!;
  expect((cidrs.spec as any).egress).toEqual([{ ports: [], to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }]);
  const fqdn = objs.find((o) => o.kind === 'CiliumNetworkPolicy')!;
  expect(fqdn.metadata.namespace).toBe('tenant-doe-fes');
  expect((fqdn.spec as any).egress[1]).toEqual({
    toFQDNs: [{ matchPattern: '*.example.org' }, { matchName: 'pypi.org' }],
    toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
  });
  // Without an allow-list nothing is opened.
  expect(
    tenantObjects(defaultPlatform(), 'le-gpu', 'doe-fes').filter((o) => /egress/.test(o.metadata.name)),
  ).toEqual([]);
});

test('on EKS the allow-listed names are reported, not widened into a rule', () => {
  const platform = withAllowList('gw-gpu');
  const objs = tenantObjects(platform, 'gw-gpu', 'noaa-psl');
  expect(objs.find((o) => o.kind === 'CiliumNetworkPolicy')).toBeUndefined();
  expect(objs.find((o) => o.metadata.name === 'genesis-allow-egress-cidrs')).toBeDefined();
  const out = tempDir('k8s-egress');
  try {
    expect(synthK8s(platform, out).unresolved).toContain('egress-fqdns gw-gpu: *.example.org pypi.org');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

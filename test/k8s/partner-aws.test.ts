/**
 * The manifests of a worker cluster on a partner site hosted in the partner's AWS account: the
 * same federation objects as any worker (the manager's group bound in federated tenants'
 * namespaces only), and, as on every EKS cluster the AWS target builds, the guardrails in the VPC
 * CNI's ClusterNetworkPolicy API and no GPU driver from the operator (EKS accelerated AMIs ship it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { loadPlatform } from '../../infra/model';
import { clusterCharts } from '../../constructs/k8s';
import { managerGroupName, managerRoleBindingName, tenantNamespace } from '../../infra/contract';
import { EKS_CNP_API } from '../../constructs/k8s/crds/network-policy-api';
import { PARTNER_AWS_CLUSTER, writePartnerAwsSpec } from '../fixtures/partner-aws';
import { TEST_NOW } from '../support/dates';
import { tempDir, type K8sObject } from './support';

const dir = tempDir('genesis-k8s-partner-aws-');
fs.mkdirSync(path.join(dir, 'spec'));
const platform = loadPlatform({ spec: writePartnerAwsSpec(path.join(dir, 'spec')), now: TEST_NOW }).platform;
const objects = (cluster: string): K8sObject[] =>
  clusterCharts(new App(), platform, cluster).files.flatMap((f) => f.chart.toJson() as K8sObject[]);

it("binds the manager's group in the federated tenants' namespaces, as on the on-prem partner worker", () => {
  const bindings = (cluster: string) =>
    objects(cluster)
      .filter((o) => o.kind === 'RoleBinding' && o.metadata.name === managerRoleBindingName('national'))
      .map((o) => `${o.metadata.namespace} ${JSON.stringify(o.subjects)}`)
      .sort();
  expect(bindings(PARTNER_AWS_CLUSTER)).toEqual(
    ['aurora-ai', 'noaa-psl'].map(
      (t) =>
        `${tenantNamespace(t)} ${JSON.stringify([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: managerGroupName('national') }])}`,
    ),
  );
  expect(bindings(PARTNER_AWS_CLUSTER).map((b) => b.replace(/ .*/, ''))).toEqual(
    bindings('aurora-gpu').map((b) => b.replace(/ .*/, '')),
  );
});

it('writes the guardrails in the EKS ClusterNetworkPolicy API and leaves the GPU driver to the AMI', () => {
  const all = objects(PARTNER_AWS_CLUSTER);
  const guardrails = all.filter((o) => o.kind === 'ClusterNetworkPolicy');
  expect(guardrails.length).toBeGreaterThan(0);
  for (const g of guardrails) expect(g.apiVersion).toBe(EKS_CNP_API);
  const policy = all.find((o) => o.kind === 'ClusterPolicy') as K8sObject & {
    spec: { driver: { enabled: boolean } };
  };
  expect(policy.spec.driver.enabled).toBe(false);
  // The on-prem partner site keeps the operator's driver.
  const onprem = objects('aurora-gpu').find((o) => o.kind === 'ClusterPolicy') as typeof policy;
  expect(onprem.spec.driver.enabled).toBe(true);
});

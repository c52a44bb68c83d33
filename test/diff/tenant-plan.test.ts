/** `genesis tenant plan` words its changes as `genesis diff` does: classified, with witnesses. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  PARTNER_AWS_ACCOUNT,
  PARTNER_AWS_CLUSTER,
  PARTNER_AWS_STACK,
  partnerAwsSpecData,
  writePartnerAwsSpec,
} from '../fixtures/partner-aws';
import { genesis } from '../support/cli';
import { DEFAULT_SPEC } from './support';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'partners');
const NOW = '2026-11-26';

it('a new partner sees its access and quota changes, classified, property by property', async () => {
  const r = await genesis(
    'tenant',
    'plan',
    path.join(CORPUS, 'good-orbit-labs.tenant.yaml'),
    '--now',
    NOW,
    '--json',
  );
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout).result;
  const sections = new Map<string, Array<Record<string, unknown>>>(
    plan.security.sections.map((s: { id: string; changes: Array<Record<string, unknown>> }) => [
      s.id,
      s.changes,
    ]),
  );
  expect([...sections.keys()]).not.toContain('resources');
  expect(sections.get('quota')).toContainEqual(
    expect.objectContaining({
      classification: 'broadening',
      change: 'added',
      witness: {
        file: 'k8s/govcloud-west/gw-gpu/cluster.yaml',
        resource: 'k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-orbit-labs',
        path: '',
      },
    }),
  );
  expect(
    sections
      .get('privilege')!
      .some(
        (c) =>
          c.group === 'Tenant-orbit-labs' && c.type === 'AWS::IAM::Role' && c.classification === 'broadening',
      ),
  ).toBe(true);
  expect(plan.security.summary.narrowing).toBe(0);
  const text = await genesis(
    'tenant',
    'plan',
    path.join(CORPUS, 'good-orbit-labs.tenant.yaml'),
    '--now',
    NOW,
  );
  expect(text.stdout).toMatch(/as genesis diff words it\): \d+ broadening, 0 narrowing/);
  expect(text.stdout).toContain(
    '**broadening** added `k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-orbit-labs`',
  );
});

/**
 * aurora-ai's tenant file as the spec holds it (the revision that sends work to partner clusters),
 * and the spec changed in place to aurora-ai before it does: no quota on `clusters`, no federation.
 */
function withoutFederatedWork(spec: Record<string, any>, clusters: readonly string[]): object {
  const aurora = spec.tenants.find((t: { id: string }) => t.id === 'aurora-ai');
  const revision = {
    apiVersion: 'genesis.platform/v1',
    kind: 'Tenant',
    tenant: structuredClone(aurora),
    grants: spec.grants
      .filter((g: { tenant: string }) => g.tenant === 'aurora-ai')
      .map(({ tenant: _t, ...g }: Record<string, unknown>) => g),
  };
  for (const c of clusters) delete aurora.quotas.gpu[c];
  delete aurora.federations;
  return revision;
}

it('a partner that contributes a site and opts into the federation sees what lands on its site and on the manager', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-plan-partner-'));
  try {
    // The spec: aurora-ai before it sends work to its own site. Its file: the revision that does.
    const spec = parse(fs.readFileSync(DEFAULT_SPEC, 'utf8'));
    const revision = withoutFederatedWork(spec, ['aurora-gpu']);
    fs.writeFileSync(path.join(dir, 'platform.yaml'), stringify(spec));
    fs.writeFileSync(path.join(dir, 'aurora-ai.tenant.yaml'), stringify(revision));
    const r = await genesis(
      'tenant',
      'plan',
      path.join(dir, 'aurora-ai.tenant.yaml'),
      '--spec',
      path.join(dir, 'platform.yaml'),
      '--now',
      NOW,
      '--json',
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout).result;
    const k8s = new Map<
      string,
      { status: string; changes: Array<{ change: string; type: string; name: string }> }
    >(plan.k8s.map((a: { artifact: string }) => [a.artifact, a]));
    const lines = (file: string) =>
      (k8s.get(file)?.changes ?? []).map((c) => `${c.change} ${c.type} ${c.name}`);
    // On its own site: its namespace and queues, and the manager's binding there.
    expect(k8s.get('aurora-dc/aurora-gpu/tenant-aurora-ai.yaml')?.status).toBe('new');
    expect(lines('aurora-dc/aurora-gpu/tenant-aurora-ai.yaml')).toEqual(
      expect.arrayContaining([
        'add v1 Namespace tenant-aurora-ai',
        'add kueue.x-k8s.io/v1beta2 LocalQueue tenant-aurora-ai/default',
        'add rbac.authorization.k8s.io/v1 RoleBinding tenant-aurora-ai/multikueue-national',
      ]),
    );
    expect(lines('aurora-dc/aurora-gpu/cluster.yaml')).toContain(
      'add kueue.x-k8s.io/v1beta2 ClusterQueue tenant-aurora-ai',
    );
    // On the manager: the tenant's MultiKueue config and check, and its queue now naming the check.
    expect(lines('govcloud-west/gw-gpu/cluster.yaml')).toEqual([
      'add kueue.x-k8s.io/v1beta2 AdmissionCheck national-aurora-ai',
      'change kueue.x-k8s.io/v1beta2 ClusterQueue tenant-aurora-ai',
      'add kueue.x-k8s.io/v1beta2 MultiKueueConfig national-aurora-ai',
    ]);
    // The same changes as genesis diff words them: the manager's rights on the worker are new privilege.
    const privilege = plan.security.sections.find((s: { id: string }) => s.id === 'privilege');
    expect(privilege.changes).toContainEqual(
      expect.objectContaining({
        classification: 'broadening',
        change: 'added',
        witness: expect.objectContaining({
          resource: 'k8s:aurora-dc/aurora-gpu/RoleBinding/tenant-aurora-ai/multikueue-national',
        }),
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('a partner that hosts a site in its own AWS account sees the stack it deploys there and the grant on the manager', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-plan-partner-aws-'));
  try {
    // The spec: the partner-on-AWS variant, aurora-ai before it sends work to its sites.
    const spec = partnerAwsSpecData();
    const revision = withoutFederatedWork(spec, ['aurora-gpu', PARTNER_AWS_CLUSTER]);
    const specFile = writePartnerAwsSpec(dir, spec);
    fs.writeFileSync(path.join(dir, 'aurora-ai.tenant.yaml'), stringify(revision));
    const args = [
      'tenant',
      'plan',
      path.join(dir, 'aurora-ai.tenant.yaml'),
      '--spec',
      specFile,
      '--now',
      NOW,
    ];
    const r = await genesis(...args, '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout).result;
    // In its own account: the Partner-<site> stack, with the cluster, the role the manager assumes and its access entry.
    expect(plan.contributed).toHaveLength(1);
    const site = plan.contributed[0];
    expect(site).toMatchObject({
      site: 'aurora-cloud',
      account: PARTNER_AWS_ACCOUNT,
      region: 'us-gov-west-1',
      stack: PARTNER_AWS_STACK,
    });
    const types = new Set(site.resources.map((x: { type: string }) => x.type));
    for (const t of [
      'AWS::EC2::VPC',
      'AWS::EKS::Cluster',
      'AWS::EKS::Nodegroup',
      'AWS::IAM::Role',
      'AWS::EKS::AccessEntry',
    ])
      expect(types).toContain(t);
    // On the manager: the MultiKueue controller's role (sts:AssumeRole on the worker role) and its
    // association, and the transit gateway to the site with its routes, parameter and share.
    expect(site.managers).toEqual([
      { cluster: 'gw-gpu', stack: 'Site-govcloud-west', resources: expect.any(Array) },
    ]);
    const onManager = site.managers[0].resources.map((x: { type: string; name: string }) => x);
    expect(onManager).toEqual(
      expect.arrayContaining([
        { type: 'AWS::IAM::Role', name: expect.stringMatching(/^ClusterGwGpuEksMultiKueueManagerRole/) },
        {
          type: 'AWS::EKS::PodIdentityAssociation',
          name: expect.stringMatching(/^ClusterGwGpuEksMultiKueueManagerAssociation/),
        },
      ]),
    );
    const managerTypes = onManager.map((x: { type: string }) => x.type).sort();
    expect(managerTypes).toEqual([
      'AWS::EC2::Route',
      'AWS::EC2::Route',
      'AWS::EC2::Route',
      'AWS::EC2::TransitGateway',
      'AWS::EC2::TransitGatewayAttachment',
      'AWS::EKS::PodIdentityAssociation',
      'AWS::IAM::Role',
      'AWS::RAM::ResourceShare',
      'AWS::SSM::Parameter',
    ]);
    // On the worker in its account and on the manager, the Kubernetes objects as for any federation worker.
    const k8s = new Map<string, { changes: Array<{ change: string; type: string; name: string }> }>(
      plan.k8s.map((a: { artifact: string }) => [a.artifact, a]),
    );
    const lines = (file: string) =>
      (k8s.get(file)?.changes ?? []).map((c) => `${c.change} ${c.type} ${c.name}`);
    expect(lines(`aurora-cloud/${PARTNER_AWS_CLUSTER}/tenant-aurora-ai.yaml`)).toContain(
      'add rbac.authorization.k8s.io/v1 RoleBinding tenant-aurora-ai/multikueue-national',
    );
    expect(lines('govcloud-west/gw-gpu/cluster.yaml')).toEqual(
      expect.arrayContaining([
        'add kueue.x-k8s.io/v1beta2 AdmissionCheck national-aurora-ai',
        'add kueue.x-k8s.io/v1beta2 MultiKueueConfig national-aurora-ai',
      ]),
    );
    // The partner accepts the transit gateway's share (outside one Organization), then deploys its
    // stack in its own account, with a command that builds it alone.
    const commands: string[] = plan.deploy.map((d: { command: string }) => d.command);
    const accept = commands.findIndex((c) => c.startsWith('aws ram get-resource-share-invitations'));
    const deployPartner = commands.findIndex((c) => c.startsWith(`npx cdk deploy ${PARTNER_AWS_STACK} `));
    expect(plan.deploy[accept]).toMatchObject({ who: 'partner' });
    expect(accept).toBeGreaterThanOrEqual(0);
    expect(accept).toBeLessThan(deployPartner);
    expect(plan.deploy).toContainEqual(
      expect.objectContaining({
        who: 'partner',
        command: `npx cdk deploy ${PARTNER_AWS_STACK} --exclusively -c stacks=${PARTNER_AWS_STACK} -c spec=${specFile}`,
      }),
    );
    const text = await genesis(...args);
    expect(text.stdout).toContain(
      `aurora-cloud: stack ${PARTNER_AWS_STACK}, in account ${PARTNER_AWS_ACCOUNT} (us-gov-west-1)`,
    );
    expect(text.stdout).toContain(
      "on the manager gw-gpu (stack Site-govcloud-west, the platform's account):",
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A tenant homed in a cluster's enclave without GPU quota on that cluster: the Kubernetes target
 * gives it no namespace there, so the AWS target maps neither its workloads (Pod Identity) nor its
 * members (access entries) to that cluster, and `genesis synth` of such a platform passes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parsePlatform } from '../../infra/model';
import { defaultSpecData } from '../support/default-spec';
import { NOW, resourcesOf, synthDefault, type Synthesized } from './synth';

const ROOT = path.resolve(__dirname, '..', '..');
const TENANT = 'helix-bio';

function withoutGpuQuota(): Record<string, any> {
  const spec = defaultSpecData();
  const tenant = spec.tenants.find((t: { id: string }) => t.id === TENANT);
  if (!tenant || tenant.homeEnclave !== 'gw-cui')
    throw new Error(`the default spec no longer homes ${TENANT} in gw-cui`);
  tenant.quotas.gpu = {};
  return spec;
}

describe('a tenant without GPU quota on the cluster of its home enclave', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthDefault(parsePlatform(withoutGpuQuota(), { now: NOW }));
  });

  it('keeps its stack (roles, storage) but gets no Pod Identity association or access entry there', () => {
    const t = s.template(`Tenant-${TENANT}`);
    expect(Object.keys(resourcesOf(t, 'AWS::EKS::PodIdentityAssociation'))).toEqual([]);
    expect(Object.keys(resourcesOf(t, 'AWS::EKS::AccessEntry'))).toEqual([]);
    expect(
      Object.values(resourcesOf(t, 'AWS::IAM::Role'))
        .map((r) => r.Properties.RoleName)
        .sort(),
    ).toEqual([`genesis-${TENANT}-data`, `genesis-${TENANT}-members`]);
  });

  it('leaves tenants with quota there mapped as before', () => {
    for (const [id] of s.aws.tenants) {
      if (id === TENANT) continue;
      const tenant = s.platform.tenants.find((t) => t.id === id)!;
      const withQuota = Object.entries(tenant.quotas.gpu).filter(
        ([, pools]) => Object.keys(pools).length > 0,
      ).length;
      const t = s.template(`Tenant-${id}`);
      const associations = Object.values(resourcesOf(t, 'AWS::EKS::PodIdentityAssociation'));
      expect(associations.length).toBeGreaterThan(0);
      expect(associations.length).toBeLessThanOrEqual(withQuota);
      expect(Object.values(resourcesOf(t, 'AWS::EKS::AccessEntry'))).toHaveLength(associations.length);
    }
  });

  it('genesis synth of that spec exits 0 (the cross-target check finds the same namespaces on both sides)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-no-gpu-quota-'));
    try {
      const spec = path.join(dir, 'variant.yaml');
      fs.writeFileSync(spec, stringify(withoutGpuQuota()));
      const r = spawnSync(
        'node',
        ['cli/genesis.cjs', 'synth', '--spec', spec, '--out', path.join(dir, 'out'), '--now', NOW],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 240_000,
        },
      );
      expect({
        status: r.status,
        tail: r.status === 0 ? '' : `${r.stdout}\n${r.stderr}`.slice(-3000),
      }).toEqual({ status: 0, tail: '' });
      expect(r.stdout).toMatch(/0 errors, 0 warnings/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

/** Resolving the configured cluster and tenant against the spec, with errors that list the choices. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Settings } from '../../stacks/pulumi/settings';
import { StackConfigError } from '../../stacks/pulumi/settings';
import { InvalidSpecError, loadTargetPlatform, selectTarget } from '../../stacks/pulumi/target';
import { defaultSpecData } from '../support/default-spec';
import { tempDir } from '../support/tmp';
import { TEST_NOW } from '../support/dates';

const NOW = TEST_NOW;
const base = { cluster: 'le-gpu', context: 'c', now: NOW } as const;
const platform = loadTargetPlatform({ mode: 'baseline', ...base });

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('selectTarget', () => {
  it('selects a cluster for a baseline', () => {
    const t = selectTarget({ mode: 'baseline', ...base }, platform);
    expect(t.mode).toBe('baseline');
    expect(t.cluster.id).toBe('le-gpu');
  });

  it('selects a tenant with quota on the cluster', () => {
    const t = selectTarget(
      { mode: 'tenant', ...base, tenant: 'lattice-quantum', clusterStack: 'o/genesis/le-gpu' },
      platform,
    );
    expect(t.mode === 'tenant' && t.tenant.id).toBe('lattice-quantum');
  });

  it('names the known clusters when the cluster is unknown', () => {
    const settings: Settings = { mode: 'baseline', ...base, cluster: 'le-cpu' };
    expect(() => selectTarget(settings, platform)).toThrow(StackConfigError);
    expect(messageOf(() => selectTarget(settings, platform))).toMatch(
      /genesis:cluster "le-cpu" is not a cluster of platform "genesis" \(known clusters: aurora-gpu, gw-gpu, le-gpu\)/,
    );
  });

  it('names the known tenants when the tenant is not in the spec', () => {
    const settings: Settings = {
      mode: 'tenant',
      ...base,
      tenant: 'orbit-labs',
      clusterStack: 'o/genesis/le-gpu',
    };
    expect(messageOf(() => selectTarget(settings, platform))).toMatch(
      /genesis:tenant "orbit-labs" is not a tenant of platform "genesis" \(known tenants: aurora-ai, doe-fes, helix-bio, lattice-quantum, midwest-univ, nih-nci, noaa-psl\)/,
    );
  });

  it('says where a tenant has quota when it has none on the cluster', () => {
    const settings: Settings = {
      mode: 'tenant',
      ...base,
      tenant: 'aurora-ai',
      clusterStack: 'o/genesis/le-gpu',
    };
    expect(messageOf(() => selectTarget(settings, platform))).toMatch(
      /tenant "aurora-ai" has no GPU quota on cluster "le-gpu", so it has nothing to run there \(it has quota on: aurora-gpu, gw-gpu\)/,
    );
  });
});

describe('loadTargetPlatform', () => {
  const dir = tempDir();

  it('formats every spec problem with file, line and path', () => {
    const spec = defaultSpecData();
    spec.tenants[5].quotas.gpu['le-gpu'].h200.nominal = 512;
    spec.clusters[1].nodePools[0].gpu.perNode = 'eight';
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, stringify(spec));
    const err = (() => {
      try {
        loadTargetPlatform({ mode: 'baseline', ...base, spec: file });
      } catch (e) {
        return e as InvalidSpecError;
      }
      throw new Error('expected an InvalidSpecError');
    })();
    expect(err).toBeInstanceOf(InvalidSpecError);
    expect(err.message).toMatch(/^the platform spec is invalid \(\d+ problems?\):\n/);
    expect(err.message).toMatch(
      /bad\.yaml:\d+:\d+: clusters\[1\]\.nodePools\[0\]\.gpu\.perNode: must be a number, not a string/,
    );
    expect(err.problems.length).toBeGreaterThanOrEqual(1);
  });

  it('reports an unreadable spec file', () => {
    expect(
      messageOf(() =>
        loadTargetPlatform({ mode: 'baseline', ...base, spec: path.join(dir, 'missing.yaml') }),
      ),
    ).toMatch(/missing\.yaml: \(file\): does not exist \(no such file\)/);
  });

  it('merges partner tenant files from the tenants folder', () => {
    const tenants = path.join(dir, 'tenants');
    fs.mkdirSync(tenants);
    fs.writeFileSync(
      path.join(tenants, 'orbit-labs.yaml'),
      stringify({
        apiVersion: 'genesis.platform/v1',
        kind: 'Tenant',
        tenant: {
          id: 'orbit-labs',
          kind: 'academic',
          organisation: 'Orbit Labs',
          usPerson: { attested: true, date: '2026-06-01' },
          agreement: { id: 'NSF-1', expires: '2027-12-31' },
          homeEnclave: 'le-ec',
          quotas: { gpu: { 'le-gpu': { 'a100-mig': { nominal: 4 } } } },
          contacts: [{ name: 'Ada', email: 'ada@orbit.example.edu', role: 'technical' }],
        },
      }),
    );
    const p = loadTargetPlatform({ mode: 'baseline', ...base, tenantsDir: tenants });
    expect(p.tenants.map((t) => t.id)).toContain('orbit-labs');
  });
});

/**
 * Bad stack configuration stops the program with a clear message before any resource exists.
 * (A cluster stack that cannot carry the tenant fails the update later, once its outputs are
 * read: see cluster-stack.test.ts and runtime.test.ts.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { stringify } from 'yaml';
import { defaultSpecData } from '../support/default-spec';
import { tempDir } from '../support/tmp';
import { failStack } from './support/mock-stack';
import { TEST_NOW } from '../support/dates';

const NOW = TEST_NOW;
const dir = tempDir();
const tenant = {
  mode: 'tenant',
  cluster: 'le-gpu',
  tenant: 'lattice-quantum',
  clusterStack: 'acme/genesis/le-gpu',
  context: 'le-gpu',
  now: NOW,
};

async function configError(config: Record<string, string>): Promise<string> {
  const { error, registrations } = await failStack('bad', config);
  // Pulumi prints a RunError's message alone, without a stack trace.
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  expect(error.stack).toBe(`${error.name}: ${error.message}`);
  // Nothing was registered: not even the provider.
  expect(registrations).toEqual([]);
  return error.message;
}

describe('configuration errors, reported before any resource', () => {
  it('a tenant stack without a tenant id', async () => {
    const { tenant: _omitted, ...config } = tenant;
    expect(await configError(config)).toMatch(
      /^genesis: invalid stack configuration \(1 problem\):\n {2}- genesis:tenant is required when genesis:mode is "tenant"/,
    );
  });

  it('an unknown cluster, listing the known ones', async () => {
    expect(await configError({ ...tenant, cluster: 'le-cpu' })).toMatch(
      /genesis:cluster "le-cpu" is not a cluster of platform "genesis" \(known clusters: aurora-gpu, gw-gpu, le-gpu\)/,
    );
  });

  it('a tenant that is not in the spec', async () => {
    expect(await configError({ ...tenant, tenant: 'orbit-labs' })).toMatch(
      /genesis:tenant "orbit-labs" is not a tenant of platform "genesis" \(known tenants: aurora-ai, doe-fes, /,
    );
  });

  it('a tenant without quota on the cluster', async () => {
    expect(await configError({ ...tenant, tenant: 'helix-bio' })).toMatch(
      /tenant "helix-bio" has no GPU quota on cluster "le-gpu", so it has nothing to run there \(it has quota on: gw-gpu\)/,
    );
  });

  it('an invalid spec, with every problem of the model formatted', async () => {
    const spec = defaultSpecData();
    spec.tenants[5].quotas.gpu['le-gpu'].h200.nominal = 512;
    spec.clusters[1].nodePools[1].sharing.profile = '9g.99gb';
    const file = path.join(dir, 'invalid.yaml');
    fs.writeFileSync(file, stringify(spec));
    const message = await configError({ ...tenant, spec: file });
    expect(message).toMatch(/^genesis: the platform spec is invalid \(\d+ problems?\):\n/);
    expect(message).toMatch(
      /invalid\.yaml:\d+:\d+: clusters\[1\]\.nodePools\[1\]\.sharing\.profile: must be a MIG profile such as 1g\.10gb/,
    );
  });

  it('a spec file that does not exist', async () => {
    expect(await configError({ ...tenant, spec: path.join(dir, 'nope.yaml') })).toMatch(
      /nope\.yaml: \(file\): does not exist \(no such file\)/,
    );
  });

  it('a misspelt key', async () => {
    expect(await configError({ ...tenant, contxt: 'le-gpu' })).toMatch(
      /genesis:contxt is not a setting of this program/,
    );
  });
});

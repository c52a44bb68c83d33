/**
 * On an EKS cluster some storage classes need deploy-time ids of the site's file systems (outputs
 * of the AWS target). `genesis:awsStorage` passes them to the Kubernetes target exactly as
 * `synthK8s` takes them; without them the stack warns about what it leaves out, as synth does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthK8s } from '../../stacks/k8s/synth';
import { loadPlatform } from '../../infra/model';
import { refOf, type KubeObject } from '../../stacks/pulumi/references';
import { readSettings, StackConfigError } from '../../stacks/pulumi/settings';
import { tempDir } from '../support/tmp';
import { CONFIG_GROUP, failStack, runStack } from './support/mock-stack';
import { TEST_NOW } from '../support/dates';

const NOW = TEST_NOW;
const platform = loadPlatform({ now: NOW }).platform;
const refs = {
  fsx: { subnetId: 'subnet-0123456789abcdef0', securityGroupIds: ['sg-0123456789abcdef0'] },
  efsFileSystemIds: { project: 'fs-0123456789abcdef0' },
};
const baseline = { mode: 'baseline', cluster: 'gw-gpu', context: 'gw-gpu-admin', now: NOW };

const sorted = (objs: readonly KubeObject[]): KubeObject[] =>
  [...objs].sort((a, b) => (refOf(a) < refOf(b) ? -1 : refOf(a) > refOf(b) ? 1 : 0));

function problemsOf(config: Record<string, string>): readonly string[] {
  try {
    readSettings({ get: (k) => config[k], keys: () => Object.keys(config) }, '/srv/genesis');
  } catch (e) {
    expect(e).toBeInstanceOf(StackConfigError);
    return (e as StackConfigError).problems.map((p) => p.message);
  }
  throw new Error('expected a StackConfigError');
}

describe('genesis:awsStorage', () => {
  it('is checked field by field', () => {
    expect(
      problemsOf({
        ...baseline,
        awsStorage: JSON.stringify({ fsx: { subnetId: 'subnet-1', securityGroupIds: [] }, efs: {} }),
      }),
    ).toEqual([
      'genesis:awsStorage.fsx.subnetId: must be a subnet id such as subnet-0123456789abcdef0',
      'genesis:awsStorage.fsx.securityGroupIds: must have at least 1 item(s)',
      'genesis:awsStorage.efs: is not a known field (check the spelling)',
    ]);
    expect(problemsOf({ ...baseline, awsStorage: 'fs-0123456789abcdef0' })).toEqual([
      expect.stringMatching(
        /^genesis:awsStorage must be an object; set its fields with `pulumi config set --path/,
      ),
    ]);
  });

  it('is refused for a cluster that is not on an AWS site', async () => {
    const { error, registrations } = await failStack('le-gpu', {
      ...baseline,
      cluster: 'le-gpu',
      awsStorage: JSON.stringify(refs),
    });
    expect(error.message).toMatch(
      /genesis:awsStorage is set, but cluster "le-gpu" is on site "lab-east", which is not an AWS site/,
    );
    expect(registrations).toEqual([]);
  });

  it('names only tiers of the right kind on the site', async () => {
    const { error } = await failStack('gw-gpu', {
      ...baseline,
      awsStorage: JSON.stringify({ efsFileSystemIds: { scratch: 'fs-0123456789abcdef0' } }),
    });
    expect(error.message).toMatch(
      /genesis:awsStorage\.efsFileSystemIds\.scratch: site "govcloud-west" has no file tier "scratch" \(file tiers there: project\)/,
    );
  });
});

describe('gw-gpu baseline with and without AWS storage ids', () => {
  const out = tempDir('genesis-pulumi-aws-');

  it('applies the storage classes synth writes with the same ids, and warns about nothing', async () => {
    synthK8s(platform, out, { aws: { 'govcloud-west': refs } });
    const dir = path.join(out, 'govcloud-west', 'gw-gpu');
    const expected = ['cluster.yaml', 'gpu-operator.yaml'].flatMap((f) =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject),
    );
    const run = await runStack('gw-gpu', { ...baseline, awsStorage: JSON.stringify(refs) });
    const applied = run.registrations
      .filter((r) => r.type === CONFIG_GROUP)
      .flatMap((r) => r.inputs.objs as KubeObject[]);
    expect(sorted(applied)).toStrictEqual(sorted(expected));
    const classes = applied
      .filter((o) => o.kind === 'StorageClass')
      .map((o) => `${o.metadata.name}:${String(o.provisioner)}`);
    expect(classes).toEqual(
      expect.arrayContaining(['genesis-project:efs.csi.aws.com', 'genesis-scratch:fsx.csi.aws.com']),
    );
    expect(run.warnings).toEqual([]);
  });

  it('leaves the classes that need ids out, and says so', async () => {
    const run = await runStack('gw-gpu', baseline);
    const applied = run.registrations
      .filter((r) => r.type === CONFIG_GROUP)
      .flatMap((r) => r.inputs.objs as KubeObject[]);
    expect(applied.filter((o) => o.kind === 'StorageClass').map((o) => o.metadata.name)).not.toContain(
      'genesis-project',
    );
    expect(run.warnings).toEqual([
      expect.stringMatching(
        /not deployed, needs deploy-time ids \(set them under genesis:awsStorage\): storage-class govcloud-west\/project$/,
      ),
      expect.stringMatching(
        /not deployed, needs deploy-time ids \(set them under genesis:awsStorage\): storage-class govcloud-west\/scratch$/,
      ),
    ]);
  });
});

/**
 * `genesis:awsOutputs`: a partner or platform engineer points the stack at the file that
 * `cdk deploy Site-<site> --outputs-file` wrote, and the stack applies the same storage classes as
 * `genesis synth --aws-outputs` of that file, with no id copied by hand.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadPlatform } from '../../infra/model';
import { storageRefsFromOutputs } from '../../stacks/aws/outputs';
import { synthK8s } from '../../stacks/k8s/synth';
import { refOf, type KubeObject } from '../../stacks/pulumi/references';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';
import { CONFIG_GROUP, failStack, runStack } from './support/mock-stack';

const platform = loadPlatform({ now: TEST_NOW }).platform;
const baseline = { mode: 'baseline', cluster: 'gw-gpu', context: 'gw-gpu-admin', now: TEST_NOW };
const OUTPUTS = {
  'Site-govcloud-west': {
    EfsFileSystemIdProject: 'fs-0123456789abcdef0',
    FsxSubnetId: 'subnet-0123456789abcdef0',
    FsxSecurityGroupId: 'sg-0123456789abcdef0',
    FsxKmsKeyId: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000000',
  },
};
const sorted = (objs: readonly KubeObject[]): KubeObject[] =>
  [...objs].sort((a, b) => (refOf(a) < refOf(b) ? -1 : refOf(a) > refOf(b) ? 1 : 0));

describe('genesis:awsOutputs', () => {
  const dir = tempDir('genesis-pulumi-outputs-');
  const file = path.join(dir, 'cdk-outputs.json');
  fs.writeFileSync(file, JSON.stringify(OUTPUTS));

  it('applies what genesis synth --aws-outputs writes from the same file, and warns about nothing', async () => {
    const out = path.join(dir, 'k8s');
    synthK8s(platform, out, { aws: storageRefsFromOutputs(platform, OUTPUTS) });
    const expected = ['cluster.yaml', 'gpu-operator.yaml'].flatMap((f) =>
      parseAllDocuments(fs.readFileSync(path.join(out, 'govcloud-west', 'gw-gpu', f), 'utf8')).map(
        (d) => d.toJS() as KubeObject,
      ),
    );
    const run = await runStack('gw-gpu', { ...baseline, awsOutputs: file });
    const applied = run.registrations
      .filter((r) => r.type === CONFIG_GROUP)
      .flatMap((r) => r.inputs.objs as KubeObject[]);
    expect(sorted(applied)).toStrictEqual(sorted(expected));
    expect(applied.filter((o) => o.kind === 'StorageClass').map((o) => o.metadata.name)).toEqual(
      expect.arrayContaining(['genesis-project', 'genesis-scratch']),
    );
    expect(run.warnings).toEqual([]);
  });

  it('names a missing file, a missing stack and a missing output, and registers nothing', async () => {
    const missing = await failStack('gw-gpu', { ...baseline, awsOutputs: path.join(dir, 'nope.json') });
    expect(missing.error.message).toMatch(
      /genesis:awsOutputs: .*nope\.json does not exist; write it with `npx cdk deploy Site-<site> --outputs-file/,
    );
    expect(missing.registrations).toEqual([]);
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, JSON.stringify({ 'Site-lab-east': {} }));
    expect((await failStack('gw-gpu', { ...baseline, awsOutputs: other })).error.message).toMatch(
      /has no outputs of stack Site-govcloud-west/,
    );
    const partial = path.join(dir, 'partial.json');
    fs.writeFileSync(
      partial,
      JSON.stringify({ 'Site-govcloud-west': { FsxSubnetId: 'subnet-0123456789abcdef0' } }),
    );
    expect((await failStack('gw-gpu', { ...baseline, awsOutputs: partial })).error.message).toMatch(
      /lacks Site-govcloud-west\.EfsFileSystemIdProject, Site-govcloud-west\.FsxSecurityGroupId/,
    );
  });

  it('is one of awsOutputs and awsStorage, and only on an AWS site', async () => {
    const both = await failStack('gw-gpu', {
      ...baseline,
      awsOutputs: file,
      awsStorage: JSON.stringify({ efsFileSystemIds: { project: 'fs-0123456789abcdef0' } }),
    });
    expect(both.error.message).toMatch(/genesis:awsStorage and genesis:awsOutputs are both set/);
    const onprem = await failStack('le-gpu', { ...baseline, cluster: 'le-gpu', awsOutputs: file });
    expect(onprem.error.message).toMatch(
      /genesis:awsOutputs is set, but cluster "le-gpu" is on site "lab-east", which is not an AWS site/,
    );
  });
});

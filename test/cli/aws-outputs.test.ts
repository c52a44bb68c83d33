/** `genesis synth --aws-outputs`: deploy-time ids complete the EKS cluster's StorageClasses. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { genesis } from '../support/cli';
import { tempDir } from '../support/tmp';

const dir = tempDir();
const OUTPUTS = {
  'Site-govcloud-west': {
    EfsFileSystemIdProject: 'fs-0123456789abcdef0',
    FsxSubnetId: 'subnet-0123456789abcdef0',
    FsxSecurityGroupId: 'sg-0123456789abcdef0',
    FsxKmsKeyId: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  },
};

function storageClasses(out: string): Record<string, any> {
  const text = fs.readFileSync(path.join(out, 'k8s', 'govcloud-west', 'gw-gpu', 'cluster.yaml'), 'utf8');
  const objs = parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'StorageClass');
  return Object.fromEntries(objs.map((o) => [o.metadata.name, o]));
}

describe('genesis synth --aws-outputs', () => {
  it('writes the EFS and FSx StorageClasses from the deployed ids', async () => {
    const file = path.join(dir, 'outputs.json');
    fs.writeFileSync(file, JSON.stringify(OUTPUTS));
    const out = path.join(dir, 'with');
    const r = await genesis('synth', '--out', out, '--aws-outputs', file, '--now', '2026-11-26');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/needs deploy-time ids/);
    const classes = storageClasses(out);
    expect(classes['genesis-project']).toMatchObject({
      provisioner: 'efs.csi.aws.com',
      parameters: { fileSystemId: 'fs-0123456789abcdef0' },
    });
    expect(classes['genesis-scratch']).toMatchObject({
      provisioner: 'fsx.csi.aws.com',
      parameters: { subnetId: 'subnet-0123456789abcdef0', securityGroupIds: 'sg-0123456789abcdef0' },
    });
  });

  it.each([
    ['not JSON', '{', /is not JSON/],
    [
      'missing outputs',
      JSON.stringify({ 'Site-govcloud-west': {} }),
      /deployed outputs are missing: Site-govcloud-west\.EfsFileSystemIdProject/,
    ],
    [
      'a non-string value',
      JSON.stringify({ 'Site-govcloud-west': { FsxSubnetId: 7 } }),
      /Site-govcloud-west\.FsxSubnetId: must be a string/,
    ],
  ])('refuses %s with exit 2, naming the file, and writes nothing', async (_name, text, message) => {
    const file = path.join(dir, `bad-${_name.replace(/\W/g, '')}.json`);
    fs.writeFileSync(file, text);
    const out = path.join(dir, `out-${_name.replace(/\W/g, '')}`);
    const r = await genesis('synth', '--out', out, '--aws-outputs', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path.basename(file));
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });
});

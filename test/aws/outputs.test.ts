/** From deployed site outputs to the storage references the Kubernetes target takes. */
import { loadPlatform } from '../../infra/model';
import { SITE_OUTPUT_KEYS, storageRefsFromOutputs } from '../../stacks/aws/outputs';
import { NOW } from './synth';

const platform = loadPlatform({ now: NOW }).platform;
const deployed = {
  'Site-govcloud-west': {
    [SITE_OUTPUT_KEYS.efsFileSystemId('project')]: 'fs-0123456789abcdef0',
    [SITE_OUTPUT_KEYS.fsxSubnetId]: 'subnet-0a1b2c3d',
    [SITE_OUTPUT_KEYS.fsxSecurityGroupId]: 'sg-0a1b2c3d',
    [SITE_OUTPUT_KEYS.fsxKmsKeyId]: '1234abcd-12ab-34cd-56ef-1234567890ab',
  },
};

describe('storageRefsFromOutputs', () => {
  it('maps the outputs of each site stack to its storage references', () => {
    expect(storageRefsFromOutputs(platform, deployed)).toEqual({
      'govcloud-west': {
        efsFileSystemIds: { project: 'fs-0123456789abcdef0' },
        fsx: {
          subnetId: 'subnet-0a1b2c3d',
          securityGroupIds: ['sg-0a1b2c3d'],
          kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      },
    });
  });

  it('names every output a partial deployment lacks', () => {
    const partial = { 'Site-govcloud-west': { [SITE_OUTPUT_KEYS.fsxSubnetId]: 'subnet-0a1b2c3d' } };
    expect(() => storageRefsFromOutputs(platform, partial)).toThrow(
      'deployed outputs are missing: Site-govcloud-west.EfsFileSystemIdProject, Site-govcloud-west.FsxSecurityGroupId, Site-govcloud-west.FsxKmsKeyId',
    );
    expect(() => storageRefsFromOutputs(platform, {})).toThrow(/Site-govcloud-west\.EfsFileSystemIdProject/);
  });
});

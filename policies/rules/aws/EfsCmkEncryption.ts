import { defineRule } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-002',
  title: 'EFS file systems are encrypted with a customer-managed KMS key',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-28', 'SC-28(1)', 'SC-12'],
  rationale:
    'Project file systems hold controlled data; without Encrypted and a KmsKeyId, EFS uses no encryption or the AWS-managed key, which the platform cannot restrict or revoke.',
  remediation:
    'Set Encrypted: true and KmsKeyId to a customer-managed AWS::KMS::Key on the AWS::EFS::FileSystem.',
  *check(ctx) {
    for (const fs of cfnResources(ctx, 'AWS::EFS::FileSystem')) {
      const { Encrypted, KmsKeyId } = fs.props;
      if (isUnknown(Encrypted) || isUnknown(KmsKeyId))
        yield undecided(fs.ref, 'the file system encryption', [Encrypted, KmsKeyId]);
      else if (Encrypted !== true && Encrypted !== 'true')
        yield { resource: fs.ref, status: 'fail', message: 'file system is not encrypted at rest' };
      else if (KmsKeyId === undefined || (typeof KmsKeyId === 'string' && KmsKeyId.includes('alias/aws/')))
        yield {
          resource: fs.ref,
          status: 'fail',
          message: 'file system uses the AWS-managed key, not a customer-managed key',
        };
    }
  },
  examples: [
    {
      name: 'an encrypted file system with a key of the assembly',
      artifacts: cfn({
        Key: { Type: 'AWS::KMS::Key' },
        Fs: {
          Type: 'AWS::EFS::FileSystem',
          Properties: { Encrypted: true, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a file system that is not encrypted',
      artifacts: cfn({ Fs: { Type: 'AWS::EFS::FileSystem', Properties: {} } }),
      expect: { fires: true, message: /file system is not encrypted at rest/ },
    },
    {
      name: 'a file system encrypted with the AWS-managed key',
      artifacts: cfn({ Fs: { Type: 'AWS::EFS::FileSystem', Properties: { Encrypted: true } } }),
      expect: { fires: true, message: /file system uses the AWS-managed key, not a customer-managed key/ },
    },
  ],
});

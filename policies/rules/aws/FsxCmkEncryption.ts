import { defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-003',
  title: 'FSx file systems are encrypted with a customer-managed KMS key',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-28', 'SC-28(1)', 'SC-12'],
  rationale:
    'Without KmsKeyId, FSx encrypts with the AWS-managed key, which the platform cannot restrict or revoke. FSx for Lustre accepts a customer-managed key only for PERSISTENT deployment types; SCRATCH types always use the AWS-managed key.',
  remediation:
    'Set KmsKeyId to a customer-managed AWS::KMS::Key; for Lustre use a PERSISTENT_1 or PERSISTENT_2 deployment type.',
  *check(ctx) {
    for (const fs of cfnResources(ctx, 'AWS::FSx::FileSystem')) {
      const key = fs.props.KmsKeyId;
      if (isUnknown(key)) {
        yield undecided(fs.ref, 'the file system key', key);
        continue;
      }
      if (key !== undefined && !(typeof key === 'string' && key.includes('alias/aws/'))) continue;
      const lustre = isRecord(fs.props.LustreConfiguration) ? fs.props.LustreConfiguration : {};
      const scratch =
        typeof lustre.DeploymentType === 'string' && lustre.DeploymentType.startsWith('SCRATCH');
      yield {
        resource: fs.ref,
        status: 'fail',
        message: scratch
          ? `FSx for Lustre ${String(lustre.DeploymentType)} cannot use a customer-managed key; use a PERSISTENT deployment type with KmsKeyId`
          : 'file system has no customer-managed KmsKeyId',
      };
    }
  },
  examples: [
    {
      name: 'a persistent Lustre file system with a key of the assembly',
      artifacts: cfn({
        Key: { Type: 'AWS::KMS::Key' },
        Fs: {
          Type: 'AWS::FSx::FileSystem',
          Properties: {
            FileSystemType: 'LUSTRE',
            KmsKeyId: { Ref: 'Key' },
            LustreConfiguration: { DeploymentType: 'PERSISTENT_2' },
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a scratch Lustre file system, which cannot use a customer-managed key',
      artifacts: cfn({
        Fs: {
          Type: 'AWS::FSx::FileSystem',
          Properties: { FileSystemType: 'LUSTRE', LustreConfiguration: { DeploymentType: 'SCRATCH_2' } },
        },
      }),
      expect: {
        fires: true,
        message: /FSx for Lustre SCRATCH_2 cannot use a customer-managed key; use a PERSISTENT deployment/,
      },
    },
    {
      name: 'an ONTAP file system without a KmsKeyId',
      artifacts: cfn({ Fs: { Type: 'AWS::FSx::FileSystem', Properties: { FileSystemType: 'ONTAP' } } }),
      expect: { fires: true, message: /file system has no customer-managed KmsKeyId/ },
    },
  ],
});

import { defineRule } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-012',
  title: 'Symmetric KMS keys rotate their key material',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-12', 'SC-12(1)'],
  rationale:
    'Automatic rotation limits the data encrypted under one key version and is required by the platform key-management policy; KMS rotates only symmetric encryption keys.',
  remediation: 'Set EnableKeyRotation: true on every symmetric AWS::KMS::Key.',
  *check(ctx) {
    for (const k of cfnResources(ctx, 'AWS::KMS::Key')) {
      const spec = k.props.KeySpec ?? 'SYMMETRIC_DEFAULT';
      const usage = k.props.KeyUsage ?? 'ENCRYPT_DECRYPT';
      if (isUnknown(spec) || isUnknown(usage) || isUnknown(k.props.EnableKeyRotation)) {
        yield undecided(k.ref, 'the key rotation', [spec, usage, k.props.EnableKeyRotation]);
        continue;
      }
      if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT') continue;
      if (k.props.EnableKeyRotation !== true && k.props.EnableKeyRotation !== 'true')
        yield { resource: k.ref, status: 'fail', message: 'key rotation is not enabled' };
    }
  },
  examples: [
    {
      name: 'a symmetric key with rotation enabled',
      artifacts: cfn({ Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } }),
      expect: { fires: false },
    },
    {
      name: 'an asymmetric signing key, which cannot rotate',
      artifacts: cfn({
        Sign: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' } },
      }),
      expect: { fires: false },
    },
    {
      name: 'a symmetric key without rotation',
      artifacts: cfn({ Key: { Type: 'AWS::KMS::Key', Properties: {} } }),
      expect: { fires: true, message: /key rotation is not enabled/ },
    },
  ],
});
